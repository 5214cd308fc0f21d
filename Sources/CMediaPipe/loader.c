// dlopen, not a link: the package builds and every other test runs where make setup has not run.
#include "mediapipe_pose.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static MpPoseApi api;
static int loaded;
static char loaded_path[4096];

static int bind(void *library, const char *name, void **slot, char *reason, size_t reason_size) {
    *slot = dlsym(library, name);
    if (*slot == NULL) {
        snprintf(reason, reason_size, "symbol %s missing (%s)", name, dlerror());
        return 0;
    }
    return 1;
}

const MpPoseApi *mp_pose_api_load(const char *path, char *reason, size_t reason_size) {
    pthread_mutex_lock(&lock);
    if (loaded && strcmp(path, loaded_path) != 0) {
        // One copy per process: its globals (logging, telemetry) are not made for two.
        snprintf(reason, reason_size, "libmediapipe.so is already loaded from %s", loaded_path);
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    if (!loaded) {
        void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (library == NULL) {
            snprintf(reason, reason_size, "%s", dlerror());
        } else if (bind(library, "MpPoseLandmarkerCreate", (void **)&api.pose_create, reason, reason_size) &&
                   bind(library, "MpPoseLandmarkerDetectImage", (void **)&api.pose_detect_image, reason, reason_size) &&
                   bind(library, "MpPoseLandmarkerDetectForVideo", (void **)&api.pose_detect_for_video, reason, reason_size) &&
                   bind(library, "MpPoseLandmarkerCloseResult", (void **)&api.pose_close_result, reason, reason_size) &&
                   bind(library, "MpPoseLandmarkerClose", (void **)&api.pose_close, reason, reason_size) &&
                   bind(library, "MpImageCreateFromUint8Data", (void **)&api.image_create_from_uint8, reason, reason_size) &&
                   bind(library, "MpImageFree", (void **)&api.image_free, reason, reason_size) &&
                   bind(library, "MpErrorFree", (void **)&api.error_free, reason, reason_size)) {
            loaded = 1;
            snprintf(loaded_path, sizeof loaded_path, "%s", path);
        } else {
            dlclose(library);
        }
    }
    pthread_mutex_unlock(&lock);
    return loaded ? &api : NULL;
}
