{
  "targets": [
    {
      "target_name": "grep_scan",
      "sources": ["grep-scan.c"],
      "cflags": ["-O2", "-std=gnu11", "-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
