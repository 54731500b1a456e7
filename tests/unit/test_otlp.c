/* test_otlp.c — the OTLP export's pure parts: option values, the
 * configuration from options and OTEL_* variables, JSON strings. The
 * network path is covered by tests/integration/test_otlp.c. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "otlp.h"
#include "otlp_int.h"
#include "sbuf.h"

static void clear_env(void)
{
	static const char *const vars[] = { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
					    "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
					    "OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
					    "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES" };
	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++)
		unsetenv(vars[i]);
}

TestSuite(otlp_config, .init = clear_env);

Test(otlp_config, option_values)
{
	cr_assert_eq(otlp_parse_compression("gzip"), 1);
	cr_assert_eq(otlp_parse_compression("none"), 0);
	cr_assert_eq(otlp_parse_compression("zstd"), -1);
	cr_assert_eq(otlp_parse_compression(NULL), -1);
	cr_assert_eq(otlp_parse_timeout("5s"), 5000);
	cr_assert_eq(otlp_parse_timeout("2"), 2000);
	cr_assert_eq(otlp_parse_timeout("250ms"), 250);
	cr_assert_eq(otlp_parse_timeout("1.5s"), 1500);
	cr_assert_eq(otlp_parse_timeout("-1s"), -1);
	cr_assert_eq(otlp_parse_timeout("5m"), -1);
	cr_assert_eq(otlp_parse_timeout(""), -1);
}

Test(otlp_config, endpoint_precedence)
{
	struct otlp_options o = { .gzip = -1 };
	struct otlp_config c;
	cr_assert_eq(otlp_config_resolve(&c, &o), 0);
	cr_assert_str_eq(c.url, "http://localhost:4318/v1/traces");
	cr_assert_eq(c.timeout_ms, OTLP_DEFAULT_TIMEOUT_MS);
	cr_assert(!c.gzip);
	otlp_config_free(&c);

	setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:1/", 1);
	cr_assert_eq(otlp_config_resolve(&c, &o), 0);
	cr_assert_str_eq(c.url, "http://a:1/v1/traces");
	otlp_config_free(&c);

	setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:2/custom", 1);
	cr_assert_eq(otlp_config_resolve(&c, &o), 0);
	cr_assert_str_eq(c.url, "http://b:2/custom"); /* as-is */
	otlp_config_free(&c);

	o.endpoint = "https://c:3/v1/traces";
	cr_assert_eq(otlp_config_resolve(&c, &o), 0);
	cr_assert_str_eq(c.url, "https://c:3/v1/traces"); /* not doubled */
	otlp_config_free(&c);

	o.endpoint = "ftp://x";
	cr_assert_eq(otlp_config_resolve(&c, &o), -1);
}

Test(otlp_config, headers_and_resource)
{
	setenv("OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b, tenant = t1,bogus", 1);
	setenv("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip", 1);
	setenv("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs,team=perf", 1);
	struct otlp_options o = { .gzip = -1, .headers = { "Tenant=t2" }, .nheaders = 1 };
	struct otlp_config c;
	cr_assert_eq(otlp_config_resolve(&c, &o), 0);
	cr_assert(c.gzip);
	cr_assert_eq(c.nheaders, 2);
	bool key = false, tenant = false;
	for (int i = 0; i < c.nheaders; i++) {
		key |= !strcmp(c.headers[i], "api-key: a b");
		tenant |= !strcmp(c.headers[i], "Tenant: t2"); /* the option wins */
	}
	cr_assert(key && tenant);
	cr_assert_str_eq(c.service_name, "from-attrs");
	cr_assert_eq(c.nres, 2);
	cr_assert_str_eq(c.res_keys[1], "team");
	cr_assert_str_eq(c.res_values[1], "perf");
	otlp_config_free(&c);

	setenv("OTEL_SERVICE_NAME", "svc", 1);
	o.gzip = 0;
	cr_assert_eq(otlp_config_resolve(&c, &o), 0);
	cr_assert_str_eq(c.service_name, "svc");
	cr_assert(!c.gzip);
	otlp_config_free(&c);
}

Test(otlp_config, json_strings)
{
	struct sbuf b = SBUF_INIT;
	const char in[] = "a\"b\\c\n\t\x01\xc3\xa9\xff";
	otlp_json_str(&b, in, sizeof(in) - 1);
	cr_assert_str_eq(b.p, "\"a\\\"b\\\\c\\n\\t\\u0001\xc3\xa9\\u00ff\"");
	sbuf_free(&b);
}
