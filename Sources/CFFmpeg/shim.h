// libav's error codes are function-like macros (AVERROR, FFERRTAG), which Swift cannot import.
#ifndef BIOMECH_CFFMPEG_SHIM_H
#define BIOMECH_CFFMPEG_SHIM_H
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
// Declarations and the version only: libavdevice is not linked but loaded when a device is opened
// (Sources/Video/VideoSource.swift says why).
#include <libavdevice/avdevice.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

static inline int biomech_averror(int posix_errno) { return AVERROR(posix_errno); }
static inline int biomech_averror_eof(void) { return AVERROR_EOF; }
static inline int biomech_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
#endif
