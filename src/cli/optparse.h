/* optparse.h — the command-line parser every renacer-c command shares,
 * driven by the option table src/cli/options.def (one data source for the
 * parsers, --help, the man page and the completions).
 *
 * Ownership: the table is static; values handed to the callback point
 * into argv (never freed). */
#ifndef RENACER_OPTPARSE_H
#define RENACER_OPTPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum opt_cmd { OPTCMD_MAIN, OPTCMD_ASSERT, OPTCMD_DIFF, OPTCMD_SUMMARY, OPTCMD_EXPORT, OPTCMD__COUNT };
enum opt_argk { OPTARG_NONE, OPTARG_REQ, OPTARG_OPT };

enum opt_id {
#define OPT(cmd, id, ...) OPT_##id,
#define REJECT(...)
#include "options.def"
#undef OPT
#undef REJECT
	OPT__COUNT
};

struct opt_def {
	enum opt_cmd cmd;
	enum opt_id id;
	char sh;                 /* 0: none */
	const char *lng;         /* NULL: none */
	enum opt_argk arg;
	const char *metavar;
	const char *category;
	const char *help;
	const char *man;
};

struct opt_reject {
	enum opt_cmd cmd;
	char sh;
	const char *lng;
	const char *what;
};

struct opt_cmd_def {
	enum opt_cmd cmd;
	const char *name;        /* "" for the main command */
	const char *operands;
	const char *desc;
	const char *epilog;
};

extern const struct opt_def opt_defs[];
extern const size_t opt_ndefs;
extern const struct opt_reject opt_rejects[];
extern const size_t opt_nrejects;
extern const struct opt_cmd_def opt_cmds[OPTCMD__COUNT];

enum optp_result { OPTP_OK = 0, OPTP_EXIT = 1, OPTP_USAGE = 2 };

/* Called for each option (D set; VAL its argument or NULL; AS how the user
 * spelled it, for messages: "-o", "--output") and, when the parser
 * permutes, for each operand (D NULL, VAL the operand). Returns an
 * optp_result; a handler that returns OPTP_USAGE has printed its message
 * (with optp_usage). */
typedef enum optp_result (*optp_fn)(void *ctx, const struct opt_def *d, const char *val, const char *as);

struct optparse {
	enum opt_cmd cmd;
	bool permute;            /* operands may come between options (subcommands) */
	optp_fn fn;
	void *ctx;
};

/* Parse argv[1..argc-1]. Without permute, parsing stops at "--" (consumed)
 * or at the first operand; *first receives its index (argc: none). */
enum optp_result optp_parse(const struct optparse *p, int argc, char **argv, int *first);

/* "renacer-c: [SUB: ]MESSAGE" then the hint line, on stderr. */
enum optp_result optp_usage(enum opt_cmd cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The command's --help text, generated from the table. */
void optp_help(enum opt_cmd cmd, FILE *f);
/* "usage: renacer-c SUB [OPTIONS...] OPERANDS" (one line). */
void optp_usage_line(enum opt_cmd cmd, FILE *f);

#endif
