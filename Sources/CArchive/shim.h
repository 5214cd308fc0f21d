// libarchive imports into Swift as is; this header only gathers its two public headers.
#ifndef BIOMECH_CARCHIVE_SHIM_H
#define BIOMECH_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
