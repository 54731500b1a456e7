/* trace_reader.c — JSON traces back into events (trace_reader.h): the
 * entry point, the top-level pieces around the records, and the full
 * parse of a document in any layout (the streamed layout is read by
 * trace_stream.c; the files are listed in trace_reader_int.h). */
#include "trace_reader_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linereader.h"
#include "vec.h"

/* ------------------------------------------------------------------ */
/* Top-level pieces: version/format/schema/meta, processes, summary, gpu */

static int read_process(const cJSON *o, struct process_info *p, char *msg, size_t msglen)
{
	memset(p, 0, sizeof(*p));
	if (!cJSON_IsObject(o)) {
		snprintf(msg, msglen, "a process record must be an object, not %s", reader_type_name(o));
		return -1;
	}
	int pid = 0, ppid = 0, code = 0;
	int has_code;
	if (reader_want_i32(o, "pid", &pid, msg, msglen) < 0 || reader_want_i32(o, "ppid", &ppid, msg, msglen) < 0 ||
	    reader_want_str(o, "exe", &p->exe, msg, msglen) < 0 ||
	    reader_want_u64(o, "start_ns", &p->start_ns, msg, msglen) < 0 ||
	    reader_want_u64(o, "end_ns", &p->end_ns, msg, msglen) < 0 ||
	    (has_code = reader_want_i32(o, "exit_code", &code, msg, msglen)) < 0 ||
	    reader_want_u64(o, "utime_us", &p->utime_us, msg, msglen) < 0 ||
	    reader_want_u64(o, "stime_us", &p->stime_us, msg, msglen) < 0 ||
	    reader_want_u64(o, "maxrss_kb", &p->maxrss_kb, msg, msglen) < 0 ||
	    reader_want_bool(o, "core_dumped", &p->core_dumped, msg, msglen) < 0)
		return -1;
	p->pid = pid;
	p->ppid = ppid;
	const cJSON *sig = reader_field(o, "signal");
	if (sig && !cJSON_IsNull(sig)) {
		if (cJSON_IsString(sig) && sig->valuestring) {
			p->signal = reader_signal_of_name(sig->valuestring);
			if (!p->signal) {
				snprintf(msg, msglen, "unknown \"signal\" \"%s\"", reader_show(sig->valuestring).s);
				return -1;
			}
		} else if (cJSON_IsNumber(sig)) {
			if (reader_want_i32(o, "signal", &p->signal, msg, msglen) < 0)
				return -1;
			if (p->signal <= 0 || p->signal > MAX_SIGNAL) {
				snprintf(msg, msglen, "\"signal\" is out of range");
				return -1;
			}
		} else {
			snprintf(msg, msglen, "\"signal\" must be a string or number, not %s", reader_type_name(sig));
			return -1;
		}
	}
	p->exited = p->signal == 0;
	p->exit_code = p->exited && has_code == 1 ? code : 0;
	return 0;
}

int reader_head(struct reader *r, const cJSON *root, unsigned long line)
{
	struct trace_summary *s = r->sum;
	char msg[256];
	const char *str = NULL;
	int rc = reader_want_str(root, "version", &str, msg, sizeof(msg));
	if (rc < 0)
		goto bad;
	if (rc == 1)
		snprintf(s->version, sizeof(s->version), "%s", str);
	rc = reader_want_str(root, "format", &str, msg, sizeof(msg));
	if (rc < 0)
		goto bad;
	if (rc == 1) {
		snprintf(s->format, sizeof(s->format), "%s", str);
		if (strcmp(str, "renacer-json-v1") != 0) {
			reader_error(r, line, "not a renacer-json-v1 trace (format \"%s\")", reader_show(str).s);
			return TRACE_ERR_FORMAT;
		}
	}
	if (reader_want_i32(root, "schema", &s->schema, msg, sizeof(msg)) < 0)
		goto bad;
	const cJSON *meta = reader_field(root, "meta");
	if (meta && !cJSON_IsNull(meta)) {
		if (!cJSON_IsObject(meta)) {
			snprintf(msg, sizeof(msg), "\"meta\" must be an object, not %s", reader_type_name(meta));
			goto bad;
		}
		/* For `export` only: read leniently (a wrong type leaves them unset). */
		uint64_t start = 0;
		const char *host = NULL;
		char ignored[64];
		if (reader_want_u64(meta, "start_unix_ns", &start, ignored, sizeof(ignored)) == 1)
			s->start_unix_ns = start;
		if (reader_want_str(meta, "host", &host, ignored, sizeof(ignored)) == 1)
			snprintf(s->host, sizeof(s->host), "%s", host);
		const cJSON *cmd = reader_field(meta, "command");
		if (cmd && !cJSON_IsNull(cmd)) {
			if (!cJSON_IsArray(cmd)) {
				snprintf(msg, sizeof(msg), "\"command\" must be an array, not %s", reader_type_name(cmd));
				goto bad;
			}
			int n = cJSON_GetArraySize(cmd);
			const cJSON *a;
			cJSON_ArrayForEach(a, cmd)
			{
				if (!cJSON_IsString(a) || !a->valuestring) {
					snprintf(msg, sizeof(msg), "\"command\" entries must be strings, not %s",
						 reader_type_name(a));
					goto bad;
				}
			}
			if (!s->command && n >= 0) {
				s->command = calloc((size_t)n + 1, sizeof(char *));
				if (!s->command)
					goto oom;
				int i = 0;
				cJSON_ArrayForEach(a, cmd)
				{
					s->command[i] = strdup(a->valuestring);
					if (!s->command[i])
						goto oom;
					s->ncommand = ++i;
				}
			}
		}
	}
	return TRACE_OK;
bad:
	reader_error(r, line, "%s", msg);
	return TRACE_ERR_FORMAT;
oom:
	reader_error(r, 0, "out of memory");
	return TRACE_ERR_NOMEM;
}

int reader_tail(struct reader *r, const cJSON *root, unsigned long line)
{
	struct trace_summary *s = r->sum;
	char msg[256];
	const cJSON *procs = reader_field(root, "processes");
	if (procs && !cJSON_IsNull(procs)) {
		if (!cJSON_IsArray(procs)) {
			reader_error(r, line, "\"processes\" must be an array, not %s", reader_type_name(procs));
			return TRACE_ERR_FORMAT;
		}
		const cJSON *p;
		int i = 0;
		cJSON_ArrayForEach(p, procs)
		{
			struct process_info pi;
			if (read_process(p, &pi, msg, sizeof(msg)) < 0) {
				reader_error(r, line, "processes[%d]: %s", i, msg);
				return TRACE_ERR_FORMAT;
			}
			for (int k = 0; k < r->nsinks; k++)
				if (r->sinks[k] && r->sinks[k]->process_end)
					r->sinks[k]->process_end(r->sinks[k]->self, &pi);
			s->nprocesses++;
			i++;
		}
	}
	const cJSON *sum = reader_field(root, "summary");
	if (sum && !cJSON_IsNull(sum)) {
		if (!cJSON_IsObject(sum)) {
			reader_error(r, line, "\"summary\" must be an object, not %s", reader_type_name(sum));
			return TRACE_ERR_FORMAT;
		}
		int rc[5];
		rc[0] = reader_want_u64(sum, "total_syscalls", &s->total_syscalls, msg, sizeof(msg));
		rc[1] = rc[0] < 0 ? -1 : reader_want_u64(sum, "total_time_us", &s->total_time_us, msg, sizeof(msg));
		rc[2] = rc[1] < 0 ? -1 : reader_want_u64(sum, "errors", &s->errors, msg, sizeof(msg));
		rc[3] = rc[2] < 0 ? -1 : reader_want_u64(sum, "wall_time_us", &s->wall_time_us, msg, sizeof(msg));
		rc[4] = rc[3] < 0 ? -1 : reader_want_i32(sum, "exit_code", &s->exit_code, msg, sizeof(msg));
		if (rc[4] < 0) {
			reader_error(r, line, "summary: %s", msg);
			return TRACE_ERR_FORMAT;
		}
		s->has_summary = true;
		s->has_total_syscalls = rc[0] == 1;
		s->has_total_time_us = rc[1] == 1;
		s->has_errors = rc[2] == 1;
		s->has_wall_time_us = rc[3] == 1;
		s->has_exit_code = rc[4] == 1;
	}
	const cJSON *gpu = reader_field(root, "gpu");
	if (gpu && !cJSON_IsNull(gpu)) {
		if (!cJSON_IsArray(gpu)) {
			reader_error(r, line, "\"gpu\" must be an array, not %s", reader_type_name(gpu));
			return TRACE_ERR_FORMAT;
		}
		int n = cJSON_GetArraySize(gpu);
		if (n > 0) {
			struct trace_gpu_span *g = calloc((size_t)n, sizeof(*g));
			if (!g) {
				reader_error(r, 0, "out of memory");
				return TRACE_ERR_NOMEM;
			}
			free(s->gpu);
			s->gpu = g;
			s->ngpu = 0;
			const cJSON *o;
			cJSON_ArrayForEach(o, gpu)
			{
				struct trace_gpu_span *sp = &g[s->ngpu];
				const char *kind = NULL;
				if (!cJSON_IsObject(o)) {
					reader_error(r, line, "gpu[%zu] must be an object, not %s", s->ngpu, reader_type_name(o));
					return TRACE_ERR_FORMAT;
				}
				int krc = reader_want_str(o, "kind", &kind, msg, sizeof(msg));
				if (krc == 0)
					snprintf(msg, sizeof(msg), "\"kind\" is missing");
				bool kind_ok = false;
				if (krc == 1) {
					kind_ok = true;
					if (!strcmp(kind, "transfer"))
						sp->kind = TRACE_GPU_TRANSFER;
					else if (!strcmp(kind, "kernel"))
						sp->kind = TRACE_GPU_KERNEL;
					else
						kind_ok = false;
					if (!kind_ok)
						snprintf(msg, sizeof(msg), "\"kind\" must be \"transfer\" or \"kernel\"");
				}
				if (!kind_ok || reader_want_u64(o, "ts_ns", &sp->ts_ns, msg, sizeof(msg)) < 0 ||
				    reader_want_u64(o, "duration_ns", &sp->duration_ns, msg, sizeof(msg)) < 0 ||
				    reader_want_u64(o, "bytes", &sp->bytes, msg, sizeof(msg)) < 0) {
					reader_error(r, line, "gpu[%zu]: %s", s->ngpu, msg);
					return TRACE_ERR_FORMAT;
				}
				s->ngpu++;
			}
		}
	}
	return TRACE_OK;
}

/* ------------------------------------------------------------------ */
/* Full parse                                                          */

unsigned long reader_line_at(const char *text, size_t len, const char *pos, unsigned long first)
{
	unsigned long line = first;
	if (!pos || pos < text)
		return line;
	size_t off = (size_t)(pos - text);
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* The whole of fd (from where it is) into a malloc'd, NUL-terminated
 * buffer. TRACE_ERR_IO with *err set (an errno value) when a read fails. */
static int read_all(int fd, char **out, size_t *outlen, int *err)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;
	for (;;) {
		if (cap - len < 4096 && !vec_grow(&buf, &cap, len + 4096 > 1 << 16 ? len + 4096 : 1 << 16, 1)) {
			free(buf);
			return TRACE_ERR_NOMEM;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*err = errno;
			free(buf);
			return TRACE_ERR_IO;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return TRACE_OK;
}

static int full_parse(struct reader *r, int fd)
{
	char *text = NULL;
	size_t len = 0;
	int err = 0;
	int rc = read_all(fd, &text, &len, &err);
	if (rc == TRACE_ERR_IO) {
		reader_error(r, 0, "read error: %s", strerror(err));
		return rc;
	}
	if (rc != TRACE_OK) {
		reader_error(r, 0, "out of memory");
		return rc;
	}
	if (memchr(text, '\0', len)) {
		reader_error(r, reader_line_at(text, len, memchr(text, '\0', len), 1), "NUL byte in the file");
		free(text);
		return TRACE_ERR_FORMAT;
	}
	const char *end = NULL;
	/* cJSON counts the terminating NUL in the length it checks. */
	cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, true);
	if (!root) {
		const char *ep = end ? end : cJSON_GetErrorPtr();
		bool at_end = !ep || ep >= text + len;
		size_t i = len;
		while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '\t' ||
				 text[i - 1] == '\r'))
			i--;
		if (i == 0)
			reader_error(r, 0, "empty file, not a JSON trace");
		else if (at_end)
			reader_error(r, reader_line_at(text, len, text + i, 1), "truncated JSON (the document is not closed)");
		else
			reader_error(r, reader_line_at(text, len, ep, 1), "invalid JSON");
		free(text);
		return TRACE_ERR_FORMAT;
	}
	free(text);
	rc = TRACE_OK;
	if (!cJSON_IsObject(root)) {
		reader_error(r, 0, "a trace must be a JSON object, not %s", reader_type_name(root));
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	rc = reader_head(r, root, 0);
	if (rc != TRACE_OK)
		goto out;
	const cJSON *calls = reader_field(root, "syscalls");
	if (!calls || !cJSON_IsArray(calls)) {
		reader_error(r, 0, calls ? "\"syscalls\" must be an array, not %s" : "no \"syscalls\" array%s",
			calls ? reader_type_name(calls) : "");
		rc = TRACE_ERR_FORMAT;
		goto out;
	}
	const cJSON *o;
	unsigned long idx = 0;
	cJSON_ArrayForEach(o, calls)
	{
		struct event ev;
		char msg[256];
		if (reader_to_event(r, o, &ev, msg, sizeof(msg)) < 0) {
			reader_error(r, 0, "syscalls[%lu]: %s", idx, msg);
			rc = TRACE_ERR_FORMAT;
			goto out;
		}
		reader_feed_event(r, &ev);
		idx++;
	}
	rc = reader_tail(r, root, 0);
out:
	cJSON_Delete(root);
	return rc;
}

/* ------------------------------------------------------------------ */

void trace_summary_free(struct trace_summary *s)
{
	if (!s)
		return;
	if (s->command) {
		for (int i = 0; i < s->ncommand; i++)
			free(s->command[i]);
		free(s->command);
	}
	free(s->gpu);
	memset(s, 0, sizeof(*s));
}

void trace_summary_run_info(const struct trace_summary *s, struct run_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->exit_code = s->has_exit_code ? s->exit_code : 0;
	if (s->has_wall_time_us)
		ri->wall_ns = s->wall_time_us > UINT64_MAX / 1000 ? UINT64_MAX : s->wall_time_us * 1000;
	else
		ri->wall_ns = s->end_ns;
}

int trace_read_file(const char *path, struct sink *const *sinks, int nsinks, struct trace_summary *out,
		    char *err, size_t errlen)
{
	struct trace_summary local;
	struct reader *r = calloc(1, sizeof(*r));
	if (err && errlen)
		err[0] = '\0';
	if (!r) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path ? path : "(null)");
		return TRACE_ERR_NOMEM;
	}
	r->path = path ? path : "(null)";
	r->sinks = sinks;
	r->nsinks = sinks ? nsinks : 0;
	r->sum = out ? out : &local;
	memset(r->sum, 0, sizeof(*r->sum));
	r->err = err;
	r->errlen = errlen;

	int rc;
	struct linereader lr;
	if (!path || linereader_open(&lr, path, NULL, 0) != 0) {
		reader_error(r, 0, "cannot open: %s", path ? strerror(lr.err) : "no path");
		rc = TRACE_ERR_IO;
		goto out;
	}
	enum stream_rc how;
	rc = reader_stream(r, &lr, &how);
	if (how == STREAM_NOT_STREAMED && rc == TRACE_OK) {
		if (linereader_rewind(&lr) != 0) {
			reader_error(r, 0, "not in the one-record-per-line layout and cannot be re-read: %s",
				     strerror(lr.err));
			rc = TRACE_ERR_IO;
		} else {
			trace_summary_free(r->sum);
			r->synth_ts = 0;
			rc = full_parse(r, lr.fd);
		}
	}
	linereader_close(&lr);
out:
	for (int i = 0; i < NAME_CACHE_SLOTS; i++)
		free(r->cache[i].name);
	if (!out)
		trace_summary_free(&local);
	free(r);
	return rc;
}
