/* otlp_config.c — where and how to export: the --otlp-* options over the
 * OpenTelemetry environment (OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT used as-is, OTEL_EXPORTER_OTLP_HEADERS
 * and _TRACES_HEADERS, OTEL_EXPORTER_OTLP_COMPRESSION, OTEL_SERVICE_NAME,
 * OTEL_RESOURCE_ATTRIBUTES), and the JSON string writer. */
#include "otlp_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

int otlp_parse_compression(const char *v)
{
	if (v && !strcmp(v, "gzip"))
		return 1;
	if (v && !strcmp(v, "none"))
		return 0;
	return -1;
}

int64_t otlp_parse_timeout(const char *v)
{
	if (!v || !*v || *v == '-' || *v == '+')
		return -1;
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || d < 0 || d > 3600.0 * 24)
		return -1;
	if (!*end || !strcmp(end, "s"))
		return (int64_t)(d * 1000);
	if (!strcmp(end, "ms"))
		return (int64_t)d;
	return -1;
}

/* Percent-decode S in place (the W3C baggage octets of the OTEL_ lists). */
static void pct_decode(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
			char hex[3] = { r[1], r[2], 0 };
			*w++ = (char)strtol(hex, NULL, 16);
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = 0;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

static int add_header(struct otlp_config *c, const char *k, const char *v)
{
	if (!*k || strpbrk(k, ": \t\r\n") || strpbrk(v, "\r\n")) {
		diag("otlp: invalid header '%s'", k);
		return -1;
	}
	size_t cap = sizeof(c->headers) / sizeof(*c->headers);
	size_t kl = strlen(k);
	/* A later value for the same name replaces the earlier. */
	for (int i = 0; i < c->nheaders; i++)
		if (!strncasecmp(c->headers[i], k, kl) && c->headers[i][kl] == ':') {
			free(c->headers[i]);
			c->headers[i] = c->headers[--c->nheaders];
			break;
		}
	if ((size_t)c->nheaders >= cap) {
		diag("otlp: too many headers");
		return -1;
	}
	char *h;
	if (asprintf(&h, "%s: %s", k, v) < 0) {
		diag("out of memory");
		return -1;
	}
	c->headers[c->nheaders++] = h;
	return 0;
}

/* "k1=v1,k2=v2" (percent-encoded) -> headers (HEADERS true) or resource
 * attributes. Entries without '=' are skipped, as the spec allows. */
static int parse_list(struct otlp_config *c, const char *list, bool headers)
{
	char *dup = strdup(list);
	if (!dup) {
		diag("out of memory");
		return -1;
	}
	int rc = 0;
	char *save = NULL;
	for (char *tok = strtok_r(dup, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq = 0;
		char *k = trim(tok), *v = trim(eq + 1);
		pct_decode(k);
		pct_decode(v);
		if (headers) {
			rc = add_header(c, k, v);
			continue;
		}
		char **nk = realloc(c->res_keys, sizeof(char *) * (size_t)(c->nres + 1));
		if (nk)
			c->res_keys = nk;
		char **nv = realloc(c->res_values, sizeof(char *) * (size_t)(c->nres + 1));
		if (nv)
			c->res_values = nv;
		char *ks = strdup(k), *vs = strdup(v);
		if (!nk || !nv || !ks || !vs) {
			free(ks);
			free(vs);
			diag("out of memory");
			rc = -1;
			break;
		}
		c->res_keys[c->nres] = ks;
		c->res_values[c->nres++] = vs;
	}
	free(dup);
	return rc;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* BASE + "/v1/traces" (not doubled). */
static char *traces_url(const char *base)
{
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	const char *suffix = "/v1/traces";
	if (n >= strlen(suffix) && !strncmp(base + n - strlen(suffix), suffix, strlen(suffix)))
		suffix = "";
	char *u;
	if (asprintf(&u, "%.*s%s", (int)n, base, suffix) < 0)
		return NULL;
	return u;
}

int otlp_config_resolve(struct otlp_config *c, const struct otlp_options *o)
{
	memset(c, 0, sizeof(*c));
	const char *ep;
	if (o->endpoint)
		c->url = traces_url(o->endpoint);
	else if ((ep = env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")))
		c->url = strdup(ep); /* used as-is (OTel specification) */
	else
		c->url = traces_url((ep = env("OTEL_EXPORTER_OTLP_ENDPOINT")) ? ep : OTLP_DEFAULT_ENDPOINT);
	if (!c->url) {
		diag("out of memory");
		return -1;
	}
	if (strncmp(c->url, "http://", 7) && strncmp(c->url, "https://", 8)) {
		diag("otlp: endpoint '%s': not an http:// or https:// URL", c->url);
		otlp_config_free(c);
		return -1;
	}
	c->gzip = o->gzip == 1;
	if (o->gzip < 0) {
		const char *z = env("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION");
		if (!z)
			z = env("OTEL_EXPORTER_OTLP_COMPRESSION");
		c->gzip = z && !strcmp(z, "gzip");
	}
	c->timeout_ms = o->timeout_ms ? o->timeout_ms : OTLP_DEFAULT_TIMEOUT_MS;
	const char *h;
	if ((h = env("OTEL_EXPORTER_OTLP_HEADERS")) && parse_list(c, h, true) != 0)
		goto fail;
	if ((h = env("OTEL_EXPORTER_OTLP_TRACES_HEADERS")) && parse_list(c, h, true) != 0)
		goto fail;
	for (int i = 0; i < o->nheaders; i++) {
		char *kv = strdup(o->headers[i]);
		if (!kv) {
			diag("out of memory");
			goto fail;
		}
		char *eq = strchr(kv, '=');
		int rc = -1;
		if (!eq)
			diag("--otlp-header: '%s' is not NAME=VALUE", kv);
		else {
			*eq = 0;
			rc = add_header(c, trim(kv), trim(eq + 1));
		}
		free(kv);
		if (rc != 0)
			goto fail;
	}
	if ((h = env("OTEL_RESOURCE_ATTRIBUTES")) && parse_list(c, h, false) != 0)
		goto fail;
	for (int i = 0; i < c->nres; i++)
		if (!strcmp(c->res_keys[i], "service.name")) {
			free(c->service_name);
			c->service_name = strdup(c->res_values[i]);
		}
	if ((h = env("OTEL_SERVICE_NAME"))) {
		free(c->service_name);
		c->service_name = strdup(h);
	}
	return 0;
fail:
	otlp_config_free(c);
	return -1;
}

void otlp_config_free(struct otlp_config *c)
{
	free(c->url);
	for (int i = 0; i < c->nheaders; i++)
		free(c->headers[i]);
	for (int i = 0; i < c->nres; i++) {
		free(c->res_keys[i]);
		free(c->res_values[i]);
	}
	free(c->res_keys);
	free(c->res_values);
	free(c->service_name);
	memset(c, 0, sizeof(*c));
}

/* Length of the valid UTF-8 sequence at S (at most N bytes), 0 if none. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t k;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return k;
}

void otlp_json_str(struct sbuf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	sbuf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = p[i];
		if (ch == '"' || ch == '\\') {
			sbuf_putc(b, '\\');
			sbuf_putc(b, (char)ch);
		} else if (ch == '\n') {
			sbuf_puts(b, "\\n");
		} else if (ch == '\t') {
			sbuf_puts(b, "\\t");
		} else if (ch < 0x20 || ch == 0x7f) {
			char e[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };
			sbuf_putn(b, e, 6);
		} else if (ch < 0x80) {
			sbuf_putc(b, (char)ch);
		} else {
			size_t k = utf8_len(p + i, len - i);
			if (k) {
				sbuf_putn(b, s + i, k);
				i += k - 1;
			} else {
				char e[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };
				sbuf_putn(b, e, 6);
			}
		}
	}
	sbuf_putc(b, '"');
}
