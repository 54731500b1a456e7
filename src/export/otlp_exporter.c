/* otlp_exporter.c — the background thread that posts queued spans to the
 * collector: a bounded queue of reusable slots (no allocation per span
 * once warm), batches, gzip, retries with exponential back-off on
 * 429/502/503/504 and network errors (Retry-After honoured), and a
 * flush at shutdown bounded by the configured timeout. */
#include "otlp_int.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#define OTLP_QUEUE_CAP 16384   /* spans waiting; more are dropped */
#define OTLP_BATCH 512         /* spans per request */
#define OTLP_LINGER_MS 200     /* a partial batch waits at most this long */
#define OTLP_MAX_ATTEMPTS 6
#define OTLP_BACKOFF_MS 250
#define OTLP_BACKOFF_MAX_MS 30000

struct otlp_slot {
	char *buf;
	size_t len, cap;
};

struct otlp_exporter {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* work queued, closing, or done */
	struct otlp_slot *q;
	size_t head, count;
	bool closing, done;
	uint64_t deadline_ms;   /* monotonic; valid once closing */
	uint64_t sent, dropped;
	bool failed;
	/* The thread's own. */
	char *url;
	char *prefix, *suffix;
	bool gzip;
	uint64_t timeout_ms;
	struct curl_slist *hdrs;
	CURL *curl;
	struct sbuf body;
	unsigned char *zbuf;
	size_t zcap;
	long retry_after_ms;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void abs_time(struct timespec *ts, uint64_t ms_from_now)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += (time_t)(ms_from_now / 1000);
	ts->tv_nsec += (long)(ms_from_now % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Past the flush deadline? (Read without the lock: a stale answer only
 * delays the stop by one progress tick.) */
static bool past_deadline(struct otlp_exporter *x)
{
	return __atomic_load_n(&x->closing, __ATOMIC_ACQUIRE) && now_ms() >= x->deadline_ms;
}

static int on_progress(void *p, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	(void)a, (void)b, (void)c, (void)d;
	return past_deadline(p) ? 1 : 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *u)
{
	(void)p, (void)u;
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *u)
{
	struct otlp_exporter *x = u;
	size_t len = size * n;
	if (len > 12 && !strncasecmp(p, "Retry-After:", 12)) {
		char tmp[64];
		size_t k = len - 12 < sizeof(tmp) - 1 ? len - 12 : sizeof(tmp) - 1;
		memcpy(tmp, p + 12, k);
		tmp[k] = 0;
		char *end;
		long s = strtol(tmp, &end, 10);
		if (end != tmp && s >= 0)
			x->retry_after_ms = s > 3600 ? 3600000L : s * 1000L;
	}
	return len;
}

/* gzip the body into x->zbuf; its length, or 0 on failure. */
static size_t gzip_body(struct otlp_exporter *x)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	size_t need = deflateBound(&z, (uLong)x->body.len) + 64;
	if (need > x->zcap) {
		unsigned char *nb = realloc(x->zbuf, need);
		if (!nb) {
			deflateEnd(&z);
			return 0;
		}
		x->zbuf = nb;
		x->zcap = need;
	}
	z.next_in = (Bytef *)x->body.p;
	z.avail_in = (uInt)x->body.len;
	z.next_out = x->zbuf;
	z.avail_out = (uInt)x->zcap;
	int rc = deflate(&z, Z_FINISH);
	size_t out = z.total_out;
	deflateEnd(&z);
	return rc == Z_STREAM_END ? out : 0;
}

/* Sleep MS, cut short at the flush deadline; false when it was reached. */
static bool backoff_sleep(struct otlp_exporter *x, uint64_t ms)
{
	uint64_t end = now_ms() + ms;
	for (;;) {
		if (past_deadline(x))
			return false;
		uint64_t now = now_ms();
		if (now >= end)
			return true;
		uint64_t step = end - now < 50 ? end - now : 50;
		struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)step * 1000000L };
		nanosleep(&ts, NULL);
	}
}

/* Post x->body; true when the collector accepted it. */
static bool post(struct otlp_exporter *x)
{
	const void *data = x->body.p;
	size_t len = x->body.len;
	if (x->gzip) {
		len = gzip_body(x);
		if (!len)
			return false;
		data = x->zbuf;
	}
	uint64_t backoff = OTLP_BACKOFF_MS;
	for (int attempt = 0; attempt < OTLP_MAX_ATTEMPTS; attempt++) {
		if (past_deadline(x))
			return false;
		x->retry_after_ms = -1;
		CURL *c = x->curl;
		curl_easy_setopt(c, CURLOPT_URL, x->url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, x->hdrs);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)x->timeout_ms);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)x->timeout_ms);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
		CURLcode rc = curl_easy_perform(c);
		long code = 0;
		if (rc == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (rc == CURLE_OK && code >= 200 && code < 300)
			return true;
		bool retryable = rc != CURLE_OK || code == 429 || code == 502 || code == 503 || code == 504;
		if (!retryable || rc == CURLE_ABORTED_BY_CALLBACK)
			return false;
		uint64_t wait = x->retry_after_ms >= 0 ? (uint64_t)x->retry_after_ms : backoff;
		if (!backoff_sleep(x, wait))
			return false;
		backoff = backoff * 2 > OTLP_BACKOFF_MAX_MS ? OTLP_BACKOFF_MAX_MS : backoff * 2;
	}
	return false;
}

static void *run(void *arg)
{
	struct otlp_exporter *x = arg;
	pthread_mutex_lock(&x->mu);
	for (;;) {
		uint64_t waited_from = now_ms();
		while (!x->closing && x->count < OTLP_BATCH) {
			if (x->count && now_ms() - waited_from >= OTLP_LINGER_MS)
				break;
			struct timespec ts;
			abs_time(&ts, OTLP_LINGER_MS);
			pthread_cond_timedwait(&x->cv, &x->mu, &ts);
		}
		if (x->closing && (x->count == 0 || now_ms() >= x->deadline_ms)) {
			if (x->count)
				x->failed = true;
			x->dropped += x->count;
			x->count = 0;
			break;
		}
		if (!x->count)
			continue;
		size_t n = x->count < OTLP_BATCH ? x->count : OTLP_BATCH;
		sbuf_reset(&x->body);
		sbuf_puts(&x->body, x->prefix);
		for (size_t i = 0; i < n; i++) {
			struct otlp_slot *s = &x->q[(x->head + i) % OTLP_QUEUE_CAP];
			if (i)
				sbuf_putc(&x->body, ',');
			sbuf_putn(&x->body, s->buf, s->len);
		}
		sbuf_puts(&x->body, x->suffix);
		x->head = (x->head + n) % OTLP_QUEUE_CAP;
		x->count -= n;
		pthread_mutex_unlock(&x->mu);
		bool ok = !x->body.oom && post(x);
		pthread_mutex_lock(&x->mu);
		if (ok) {
			x->sent += n;
		} else {
			x->dropped += n;
			x->failed = true;
		}
	}
	x->done = true;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
	return NULL;
}

struct otlp_exporter *otlp_exporter_start(const struct otlp_config *c, const char *prefix,
					  const char *suffix)
{
	static bool curl_ok;
	struct otlp_exporter *x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	pthread_mutex_init(&x->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&x->cv, &ca);
	pthread_condattr_destroy(&ca);
	x->q = calloc(OTLP_QUEUE_CAP, sizeof(*x->q));
	x->url = strdup(c->url);
	x->prefix = strdup(prefix);
	x->suffix = strdup(suffix);
	x->gzip = c->gzip;
	x->timeout_ms = c->timeout_ms;
	if (!curl_ok) {
		curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
	}
	x->curl = curl_ok ? curl_easy_init() : NULL;
	bool ok = x->q && x->url && x->prefix && x->suffix && x->curl;
	struct curl_slist *h = NULL;
	const char *fixed[] = { "Content-Type: application/json", "Expect:",
				c->gzip ? "Content-Encoding: gzip" : NULL };
	for (size_t i = 0; ok && i < sizeof(fixed) / sizeof(*fixed); i++) {
		if (!fixed[i])
			continue;
		struct curl_slist *nh = curl_slist_append(h, fixed[i]);
		ok = nh != NULL;
		h = nh ? nh : h;
	}
	for (int i = 0; ok && i < c->nheaders; i++) {
		struct curl_slist *nh = curl_slist_append(h, c->headers[i]);
		ok = nh != NULL;
		h = nh ? nh : h;
	}
	x->hdrs = h;
	if (ok) {
		/* Signals stay with the tracer's thread. */
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		ok = pthread_create(&x->th, NULL, run, x) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (!ok) {
		x->done = true; /* no thread to join */
		x->closing = true;
		otlp_exporter_free(x);
		return NULL;
	}
	return x;
}

bool otlp_exporter_push(struct otlp_exporter *x, const char *span, size_t len)
{
	pthread_mutex_lock(&x->mu);
	bool ok = false;
	if (!x->closing && x->count < OTLP_QUEUE_CAP) {
		struct otlp_slot *s = &x->q[(x->head + x->count) % OTLP_QUEUE_CAP];
		if (len > s->cap) {
			size_t cap = len < 256 ? 256 : len * 2;
			char *nb = realloc(s->buf, cap);
			if (nb) {
				s->buf = nb;
				s->cap = cap;
			}
		}
		if (len <= s->cap) {
			memcpy(s->buf, span, len);
			s->len = len;
			x->count++;
			ok = true;
			if (x->count == OTLP_BATCH)
				pthread_cond_signal(&x->cv);
		}
	}
	if (!ok) {
		x->dropped++;
		x->failed = true;
	}
	pthread_mutex_unlock(&x->mu);
	return ok;
}

void otlp_exporter_shutdown(struct otlp_exporter *x, uint64_t *sent, uint64_t *dropped, bool *failed)
{
	pthread_mutex_lock(&x->mu);
	if (!x->closing) {
		x->deadline_ms = now_ms() + x->timeout_ms;
		__atomic_store_n(&x->closing, true, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&x->cv);
	}
	/* The thread stops itself at the deadline (curl's progress callback
	 * aborts a transfer in flight); a second of grace, then give up. */
	struct timespec ts;
	abs_time(&ts, x->timeout_ms + 1000);
	while (!x->done)
		if (pthread_cond_timedwait(&x->cv, &x->mu, &ts) != 0)
			break;
	bool done = x->done;
	*sent = x->sent;
	*dropped = x->dropped + (done ? 0 : x->count);
	*failed = x->failed || !done;
	pthread_mutex_unlock(&x->mu);
	if (done)
		pthread_join(x->th, NULL);
	else
		x->th = 0; /* still running: it and its exporter are leaked */
}

void otlp_exporter_free(struct otlp_exporter *x)
{
	if (!x)
		return;
	if (!x->done) {
		uint64_t s, d;
		bool f;
		otlp_exporter_shutdown(x, &s, &d, &f);
		if (!x->done)
			return;
	}
	for (size_t i = 0; x->q && i < OTLP_QUEUE_CAP; i++)
		free(x->q[i].buf);
	free(x->q);
	free(x->url);
	free(x->prefix);
	free(x->suffix);
	if (x->hdrs)
		curl_slist_free_all(x->hdrs);
	if (x->curl)
		curl_easy_cleanup(x->curl);
	sbuf_free(&x->body);
	free(x->zbuf);
	pthread_cond_destroy(&x->cv);
	pthread_mutex_destroy(&x->mu);
	free(x);
}
