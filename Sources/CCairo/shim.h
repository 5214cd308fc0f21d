// cairo imports into Swift as is; this header only gathers it for the module map.
#ifndef BIOMECH_CCAIRO_SHIM_H
#define BIOMECH_CCAIRO_SHIM_H
#include <cairo.h>
#endif
