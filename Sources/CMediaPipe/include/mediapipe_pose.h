// The part of MediaPipe's Tasks C API that biomech uses, for mediapipe 0.10.35 ONLY.
// Written from that wheel's ctypes wrappers (the authoritative layout of each release):
//   mediapipe/tasks/python/core/base_options_c.py            (BaseOptions)
//   mediapipe/tasks/python/components/containers/landmark_c.py (landmarks and lists)
//   mediapipe/tasks/python/components/containers/rect_c.py     (RectF)
//   mediapipe/tasks/python/vision/core/image_processing_options_c.py
//   mediapipe/tasks/python/vision/pose_landmarker.py          (result, options, functions)
//   mediapipe/tasks/python/vision/core/image.py, core/mediapipe_c_utils.py (images, errors)
// The layout changes between releases: bump it together with scripts/setup-mediapipe.sh.
#ifndef BIOMECH_MEDIAPIPE_POSE_H
#define BIOMECH_MEDIAPIPE_POSE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *model_asset_buffer;
    unsigned int model_asset_buffer_count;
    const char *model_asset_path;
    int delegate;             // 0 CPU
    int host_environment;
    int host_system;          // 1 Linux
    const char *host_version;
    const char *ca_bundle_path;
} MpBaseOptions;

typedef struct {
    float x, y, z;
    bool has_visibility;
    float visibility;
    bool has_presence;
    float presence;
    const char *name;
} MpLandmark;  // NormalizedLandmark has the same fields (x, y in [0, 1] of the image).

typedef struct {
    MpLandmark *landmarks;
    uint32_t landmarks_count;
} MpLandmarks;

typedef struct {
    float left, top, bottom, right;
} MpRectF;

typedef struct {
    bool has_region_of_interest;
    MpRectF region_of_interest;
    int rotation_degrees;
} MpImageProcessingOptions;

typedef struct {
    void **segmentation_masks;
    uint32_t segmentation_masks_count;
    MpLandmarks *pose_landmarks;        // normalized image landmarks, one list per pose
    uint32_t pose_landmarks_count;
    MpLandmarks *pose_world_landmarks;  // metres, origin between the hips
    uint32_t pose_world_landmarks_count;
} MpPoseLandmarkerResult;

typedef void (*MpPoseLandmarkerCallback)(int status, const MpPoseLandmarkerResult *result,
                                         void *image, int64_t timestamp_ms);

typedef struct {
    MpBaseOptions base_options;
    int running_mode;  // 1 image, 2 video, 3 live stream
    int num_poses;
    float min_pose_detection_confidence;
    float min_pose_presence_confidence;
    float min_tracking_confidence;
    bool output_segmentation_masks;
    MpPoseLandmarkerCallback result_callback;
} MpPoseLandmarkerOptions;

enum { MP_IMAGE_FORMAT_SRGB = 1 };

// Status functions return 0 (MP_OK) or an absl status code, and set *error (free with error_free).
typedef struct {
    int (*pose_create)(const MpPoseLandmarkerOptions *options, void **landmarker, char **error);
    int (*pose_detect_image)(void *landmarker, void *image, const MpImageProcessingOptions *options,
                             MpPoseLandmarkerResult *result, char **error);
    int (*pose_detect_for_video)(void *landmarker, void *image, const MpImageProcessingOptions *options,
                                 int64_t timestamp_ms, MpPoseLandmarkerResult *result, char **error);
    void (*pose_close_result)(MpPoseLandmarkerResult *result);
    int (*pose_close)(void *landmarker, char **error);
    int (*image_create_from_uint8)(int format, int width, int height, const uint8_t *data, int size,
                                   void **image, char **error);
    void (*image_free)(void *image);
    void (*error_free)(void *error);
} MpPoseApi;

// Loads libmediapipe.so at `path` with dlopen, once per process (later calls with the same path return
// the same table). Returns NULL and writes the reason into `reason` when the file or a symbol is
// missing, or when another path was loaded before.
const MpPoseApi *mp_pose_api_load(const char *path, char *reason, size_t reason_size);

#endif
