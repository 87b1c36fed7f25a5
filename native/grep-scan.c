// Native pre-filter for `shipgate audit grep` (src/audit/grep/native-scan.ts loads it).
//
// Why native: on a 17k-file tree a Node.js loop of openSync/readSync/closeSync costs ~100 ms on
// one thread, the same loop in C ~70 ms, and on two C threads ~45 ms; Node's worker threads did
// not recover that (bench/RESULTS-audit.md). No npm package reads many small files on native
// threads and reports which hold a byte string, so this is hand-written, and kept small: it
// decides only "this file cannot match" (none of the pattern's required literals is in its bytes,
// no NUL byte, read whole). Everything else, the regular expression above all, stays in
// JavaScript, which searches the files this hands back, from the bytes this already read.
//
// Plain C with Node-API (ABI-stable across Node versions) and libuv's synchronous file calls
// (UTF-8 paths on every platform). Built by scripts/build-native.mjs; without it, the search is
// the JavaScript one, with the same results.
#include <node_api.h>
#include <uv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef _MSC_VER
#include <intrin.h>
#endif

// Bytes per read, as the JavaScript search (src/audit/grep/search-file.ts CHUNK).
#define CHUNK (256 * 1024)
// Kept bytes per scan, shared out among its threads; past this, files are left to JavaScript
// (which streams them) instead of being kept. Two scans are in flight at most (search-native.ts).
#define ARENA_BUDGET (64u * 1024u * 1024u)
#define MAX_THREADS 16
// Files claimed per step from the shared counter.
#define CLAIM 32

// FOLDED: kept, and its ASCII-lower-cased copy follows its bytes in the arena (caseless scans),
// so that JavaScript finds the lines holding a literal with indexOf instead of decoding it all.
enum { CLEAN = 0, KEPT = 1, LEFT = 2, BINARY = 3, FOLDED = 4 };
// rg's first buffer (search-file.ts RG_FIRST_BUFFER): a NUL in it skips the file with no hit.
#define RG_FIRST_BUFFER (64 * 1024)

typedef struct {
  char *data;
  size_t len, cap, max;
} arena_t;

typedef struct scan_s scan_t;

typedef struct {
  scan_t *scan;
  napi_async_work work;
  int index;
  arena_t arena;
} part_t;

struct scan_s {
  // Inputs, owned by JavaScript and kept alive by references until the scan completes.
  const char *paths; // NUL-terminated paths, one after another
  size_t paths_len;
  const uint32_t *starts; // start of each path in `paths`
  const uint8_t *no_follow;
  uint32_t count;
  uint8_t **literals;
  size_t *literal_lens;
  uint32_t literal_count;
  // Files of this size or more are left to JavaScript, which streams them (its longest-line
  // rule only applies to such files: see grep-files.ts).
  size_t whole_limit;
  // 1: literals are lower-case ASCII, matched without case; 2: also keep any file with a
  // byte >= 0x80 (a literal with k or s: U+212A and U+017F fold to them in JavaScript).
  int caseless;
  napi_ref refs[2];
  // Outputs.
  uint8_t *status;   // CLEAN, KEPT or FOLDED + 16 * part index, LEFT, BINARY
  int32_t *size;     // bytes read (CLEAN, KEPT, FOLDED)
  int32_t *offset;   // offset in the part's arena (KEPT, FOLDED); of the first NUL byte (BINARY)
  volatile uint32_t next; // claimed through atomics
  int parts, pending;
  part_t part[MAX_THREADS];
  napi_deferred deferred;
};

static uint32_t claim(scan_t *s) {
#ifdef _MSC_VER
  return (uint32_t)_InterlockedExchangeAdd((volatile long *)&s->next, CLAIM);
#else
  return __atomic_fetch_add(&s->next, CLAIM, __ATOMIC_RELAXED);
#endif
}

static int has_high(const uint8_t *b, size_t n) {
  uint8_t acc = 0;
  for (size_t i = 0; i < n; i++) acc |= b[i];
  return (acc & 0x80) != 0;
}

static int has_literal(scan_t *s, const uint8_t *b, size_t n, uint8_t *lower) {
  const uint8_t *hay = b;
  if (s->caseless) {
    for (size_t i = 0; i < n; i++) {
      uint8_t c = b[i];
      lower[i] = (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
    }
    hay = lower;
  }
  for (uint32_t l = 0; l < s->literal_count; l++) {
    size_t m = s->literal_lens[l];
    const uint8_t *lit = s->literals[l];
    if (m > n) continue; // literals are never empty (scan() refuses one)
    // memchr for the first byte, then a compare: memmem is not on every platform.
    for (const uint8_t *p = hay, *end = hay + n - m + 1; p < end; p++) {
      p = memchr(p, lit[0], (size_t)(end - p));
      if (!p) break;
      if (memcmp(p, lit, m) == 0) return 1;
    }
  }
  return 0;
}

// Appends `b` and, when given, `folded` (both n bytes) to the arena; 0 when they do not fit.
static int keep(arena_t *a, const uint8_t *b, const uint8_t *folded, size_t n) {
  size_t need = folded ? 2 * n : n;
  if (a->len + need > a->max) return 0;
  if (a->len + need > a->cap) {
    size_t cap = a->cap ? a->cap : 1 << 20;
    while (cap < a->len + need) cap *= 2;
    char *grown = realloc(a->data, cap);
    if (!grown) return 0;
    a->data = grown;
    a->cap = cap;
  }
  memcpy(a->data + a->len, b, n);
  if (folded) memcpy(a->data + a->len + n, folded, n);
  a->len += need;
  return 1;
}

// Whether the open file is a regular file (not a FIFO, socket or device that replaced a listed path).
static int is_regular(uv_file fd, int64_t *size) {
  uv_fs_t req;
  int r = uv_fs_fstat(NULL, &req, fd, NULL);
  int regular = r == 0 && (req.statbuf.st_mode & S_IFMT) == S_IFREG;
  if (regular) *size = (int64_t)req.statbuf.st_size;
  uv_fs_req_cleanup(&req);
  return regular;
}

// Reads a file whole into *buf (grown as needed) and returns its size, or -1 when it is left to
// JavaScript: an error, not a regular file, `limit` bytes or more, or a NUL byte in a file larger
// than one read (JavaScript streams those and reports the bytes it read up to the NUL).
// Opened non-blocking, so a FIFO put where a listed file was cannot hang the thread; a regular
// file reads the same.
static int64_t read_whole(const char *path, int no_follow, uint8_t **buf, size_t *cap, size_t limit) {
  uv_fs_t req;
  int flags = UV_FS_O_RDONLY | UV_FS_O_NONBLOCK | (no_follow ? UV_FS_O_NOFOLLOW : 0);
  uv_file fd = uv_fs_open(NULL, &req, path, flags, 0, NULL);
  uv_fs_req_cleanup(&req);
  if (fd < 0) return -1;
  int64_t result = -1;
  size_t len = 0;
  for (;;) {
    if (len + CHUNK > *cap) {
      uint8_t *grown = realloc(*buf, *cap * 2);
      if (!grown) break;
      *buf = grown;
      *cap *= 2;
    }
    uv_buf_t ub = uv_buf_init((char *)*buf + len, CHUNK);
    int n = uv_fs_read(NULL, &req, fd, &ub, 1, (int64_t)len, NULL);
    uv_fs_req_cleanup(&req);
    if (n < 0) break;
    int64_t size;
    // An empty read is an empty file or a FIFO; a full first read may be a very large file,
    // which is not read further when JavaScript would stream it anyway.
    if ((len == 0 && (n == 0 || n == CHUNK)) && (!is_regular(fd, &size) || (size_t)size >= limit)) break;
    len += (size_t)n;
    if (n < CHUNK) { // a short read of a regular file is its end (as search-file.ts)
      if (len < limit && !(len > CHUNK && memchr(*buf, 0, len))) result = (int64_t)len;
      break;
    }
    if (len == CHUNK && memchr(*buf, 0, len)) break; // binary: JavaScript stops at once too
    if (len >= limit) break;
  }
  uv_fs_close(NULL, &req, fd, NULL);
  uv_fs_req_cleanup(&req);
  return result;
}

static void execute(napi_env env, void *data) {
  (void)env;
  part_t *part = data;
  scan_t *s = part->scan;
  size_t cap = 2 * CHUNK, lower_cap = 0;
  uint8_t *buf = malloc(cap);
  uint8_t *lower = NULL;
  if (!buf) return; // every file stays LEFT: JavaScript searches them
  for (uint32_t from = claim(s); from < s->count; from = claim(s)) {
    uint32_t to = from + CLAIM < s->count ? from + CLAIM : s->count;
    for (uint32_t i = from; i < to; i++) {
      int64_t got = read_whole(s->paths + s->starts[i], s->no_follow[i], &buf, &cap, s->whole_limit);
      if (got < 0) continue; // LEFT: JavaScript opens it and reports what it finds
      size_t n = (size_t)got;
      if (s->caseless && lower_cap < n) {
        free(lower);
        lower_cap = cap;
        lower = malloc(lower_cap);
        if (!lower) {
          lower_cap = 0;
          continue;
        }
      }
      const uint8_t *nul = memchr(buf, 0, n);
      if (nul && nul - buf < RG_FIRST_BUFFER) {
        // Binary from its first 64 KiB: the search would stop there with no hit; its bytes are
        // not needed, only where the NUL is (the skip names it).
        s->status[i] = BINARY;
        s->size[i] = (int32_t)n;
        s->offset[i] = (int32_t)(nul - buf);
        continue;
      }
      // Kept without looking for a literal: a NUL past the first 64 KiB (JavaScript searches
      // the lines before it), or a byte >= 0x80 when a non-ASCII letter may fold to one.
      int unlooked = nul || (s->caseless == 2 && has_high(buf, n));
      if (!unlooked && !has_literal(s, buf, n, lower)) {
        s->status[i] = CLEAN;
        s->size[i] = (int32_t)n;
        continue;
      }
      // A caseless literal was found in `lower`: hand it back too.
      const uint8_t *folded = s->caseless && !unlooked ? lower : NULL;
      if (keep(&part->arena, buf, folded, n)) {
        s->status[i] = (uint8_t)((folded ? FOLDED : KEPT) + 16 * part->index);
        s->size[i] = (int32_t)n;
        s->offset[i] = (int32_t)(part->arena.len - (folded ? 2 * n : n));
      }
    }
  }
  free(buf);
  free(lower);
}

static void free_arena(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static void release(napi_env env, scan_t *s) {
  for (int i = 0; i < 2; i++)
    if (s->refs[i]) napi_delete_reference(env, s->refs[i]);
  for (uint32_t l = 0; l < s->literal_count; l++) free(s->literals[l]);
  free(s->literals);
  free(s->literal_lens);
  for (int p = 0; p < s->parts; p++) free(s->part[p].arena.data);
  free(s);
}

static void complete(napi_env env, napi_status status, void *data) {
  part_t *part = data;
  scan_t *s = part->scan;
  napi_delete_async_work(env, part->work);
  if (--s->pending > 0) return;
  napi_value arenas, buffer;
  napi_create_array_with_length(env, (size_t)s->parts, &arenas);
  for (int p = 0; p < s->parts; p++) {
    arena_t *a = &s->part[p].arena;
    if (a->len && napi_create_external_buffer(env, a->len, a->data, free_arena, NULL, &buffer) == napi_ok) {
      a->data = NULL; // now owned by the Buffer
    } else if (a->len) {
      napi_create_buffer_copy(env, a->len, a->data, NULL, &buffer); // release() frees the arena
    } else {
      napi_create_buffer(env, 0, NULL, &buffer);
    }
    napi_set_element(env, arenas, (uint32_t)p, buffer);
  }
  napi_deferred deferred = s->deferred;
  release(env, s);
  if (status == napi_ok) napi_resolve_deferred(env, deferred, arenas);
  else {
    napi_value msg, err;
    napi_create_string_utf8(env, "native grep scan was cancelled", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, deferred, err);
  }
}

static napi_value fail(napi_env env, const char *why) {
  napi_throw_error(env, NULL, why);
  return NULL;
}

// Whether `v` is a typed array of `want`; if so, its data (NULL when empty) and length.
static bool typed(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *len) {
  napi_typedarray_type type;
  size_t byte_offset;
  napi_value ab;
  return napi_get_typedarray_info(env, v, &type, len, data, &ab, &byte_offset) == napi_ok && type == want;
}

// scan(paths: Buffer, starts: Uint32Array, noFollow: Uint8Array, literals: Buffer[],
//      caseless: 0|1|2, threads: number, status: Uint8Array, size: Int32Array,
//      offset: Int32Array, wholeLimit: number) → Promise<Buffer[]> (one arena per thread;
//      status says which).
// Every output array has one entry per path and must be filled with LEFT by the caller.
// Everything is checked before anything is allocated, so a bad call throws and leaks nothing.
static napi_value scan(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 10) return fail(env, "native grep scan: 10 arguments expected");
  char *paths;
  size_t paths_len, n_starts = 0, n_follow = 0, n_status = 0, n_size = 0, n_offset = 0;
  if (napi_get_buffer_info(env, argv[0], (void **)&paths, &paths_len) != napi_ok) return fail(env, "native grep scan: paths must be a Buffer");
  uint32_t *starts;
  uint8_t *no_follow, *status;
  int32_t *size, *offset;
  if (!typed(env, argv[1], napi_uint32_array, (void **)&starts, &n_starts) || !typed(env, argv[2], napi_uint8_array, (void **)&no_follow, &n_follow) ||
      !typed(env, argv[6], napi_uint8_array, (void **)&status, &n_status) || !typed(env, argv[7], napi_int32_array, (void **)&size, &n_size) ||
      !typed(env, argv[8], napi_int32_array, (void **)&offset, &n_offset))
    return fail(env, "native grep scan: starts Uint32Array, noFollow and status Uint8Array, size and offset Int32Array expected");
  if (n_follow != n_starts || n_status != n_starts || n_size != n_starts || n_offset != n_starts) return fail(env, "native grep scan: typed arrays of one length expected");
  if (n_starts > 0 && (paths_len == 0 || paths[paths_len - 1] != 0)) return fail(env, "native grep scan: paths must end with a NUL byte");
  for (size_t i = 0; i < n_starts; i++)
    if (starts[i] >= paths_len) return fail(env, "native grep scan: a path start is past the end");
  int32_t caseless, threads;
  int64_t whole_limit;
  if (napi_get_value_int32(env, argv[4], &caseless) != napi_ok || caseless < 0 || caseless > 2) return fail(env, "native grep scan: caseless must be 0, 1 or 2");
  if (napi_get_value_int32(env, argv[5], &threads) != napi_ok) return fail(env, "native grep scan: threads must be a number");
  if (napi_get_value_int64(env, argv[9], &whole_limit) != napi_ok) return fail(env, "native grep scan: wholeLimit must be a number");
  uint32_t nlit;
  bool is_array;
  if (napi_is_array(env, argv[3], &is_array) != napi_ok || !is_array || napi_get_array_length(env, argv[3], &nlit) != napi_ok) return fail(env, "native grep scan: literals must be an array");
  // No literal would make every file without a NUL "clean": a silent pass. The caller only uses
  // this scan for patterns with literals (required-literals.ts).
  if (nlit == 0) return fail(env, "native grep scan: at least one literal expected");
  for (uint32_t l = 0; l < nlit; l++) {
    napi_value lv;
    void *bytes;
    size_t len;
    if (napi_get_element(env, argv[3], l, &lv) != napi_ok || napi_get_buffer_info(env, lv, &bytes, &len) != napi_ok || len == 0) return fail(env, "native grep scan: each literal must be a non-empty Buffer");
  }

  napi_value promise;
  napi_deferred deferred;
  if (napi_create_promise(env, &deferred, &promise) != napi_ok) return fail(env, "native grep scan: no promise");
  if (n_starts == 0) {
    napi_value none;
    napi_create_array_with_length(env, 0, &none);
    napi_resolve_deferred(env, deferred, none);
    return promise;
  }
  scan_t *s = calloc(1, sizeof *s);
  uint8_t **literals = calloc(nlit, sizeof *literals);
  size_t *literal_lens = calloc(nlit, sizeof *literal_lens);
  int ok = s && literals && literal_lens;
  for (uint32_t l = 0; ok && l < nlit; l++) {
    napi_value lv;
    void *bytes;
    napi_get_element(env, argv[3], l, &lv);
    napi_get_buffer_info(env, lv, &bytes, &literal_lens[l]);
    literals[l] = malloc(literal_lens[l]);
    if (literals[l]) memcpy(literals[l], bytes, literal_lens[l]);
    else ok = 0;
  }
  if (!ok) {
    if (literals)
      for (uint32_t l = 0; l < nlit; l++) free(literals[l]);
    free(literals);
    free(literal_lens);
    free(s);
    napi_value msg, err;
    napi_create_string_utf8(env, "native grep scan: out of memory", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, deferred, err);
    return promise;
  }
  s->paths = paths;
  s->paths_len = paths_len;
  s->starts = starts;
  s->no_follow = no_follow;
  s->status = status;
  s->size = size;
  s->offset = offset;
  s->count = (uint32_t)n_starts;
  s->caseless = caseless;
  s->whole_limit = whole_limit < CHUNK ? CHUNK : (size_t)whole_limit;
  s->literals = literals;
  s->literal_lens = literal_lens;
  s->literal_count = nlit;
  s->deferred = deferred;
  // The inputs and outputs live in JavaScript memory; references keep them alive meanwhile.
  napi_create_reference(env, argv[0], 1, &s->refs[0]);
  napi_value arrays;
  napi_create_array_with_length(env, 5, &arrays);
  napi_set_element(env, arrays, 0, argv[1]);
  napi_set_element(env, arrays, 1, argv[2]);
  napi_set_element(env, arrays, 2, argv[6]);
  napi_set_element(env, arrays, 3, argv[7]);
  napi_set_element(env, arrays, 4, argv[8]);
  napi_create_reference(env, arrays, 1, &s->refs[1]);
  s->parts = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
  napi_value name;
  napi_create_string_utf8(env, "shipgate:grep-scan", NAPI_AUTO_LENGTH, &name);
  int made = 0;
  for (int p = 0; p < s->parts; p++) {
    s->part[p].scan = s;
    s->part[p].index = p;
    s->part[p].arena.max = ARENA_BUDGET / (size_t)s->parts;
    if (napi_create_async_work(env, NULL, name, execute, complete, &s->part[p], &s->part[p].work) != napi_ok) break;
    made++;
  }
  // With fewer threads than asked (no async work could be made), the ones made do all the work:
  // each claims files until none are left.
  if (made == 0) {
    release(env, s);
    return fail(env, "native grep scan: no async work could be made");
  }
  s->parts = made;
  s->pending = made;
  for (int p = 0; p < made; p++) napi_queue_async_work(env, s->part[p].work);
  return promise;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "scan", NAPI_AUTO_LENGTH, scan, NULL, &fn);
  napi_set_named_property(env, exports, "scan", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
