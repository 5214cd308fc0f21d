// Typed wrappers for libcurl's variadic entry points, which Swift cannot call.
#ifndef BIOMECH_CCURL_SHIM_H
#define BIOMECH_CCURL_SHIM_H
#include <curl/curl.h>

typedef size_t (*biomech_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);

static inline CURLcode biomech_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode biomech_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode biomech_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode biomech_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode biomech_curl_setopt_data_cb(CURL *h, CURLoption o, biomech_curl_data_cb v) { return curl_easy_setopt(h, o, v); }

static inline CURLcode biomech_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode biomech_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode biomech_curl_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }

#endif
