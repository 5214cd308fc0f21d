-- Catalog migration 2 -> 3: the windows of `biomech-window` (docs/WINDOW.md), so every window in a
-- shard folder can be traced back to its video and frames.

-- One row per window written from the catalog's sequences (`biomech-window --db`); a new run into
-- the same folder replaces that folder's rows.
CREATE TABLE windows (
    folder      TEXT NOT NULL,      -- the shard folder as given to --out, e.g. 'shards/v1'
    split       TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
    shard       INTEGER NOT NULL,   -- shard-00003 is 3
    row         INTEGER NOT NULL,   -- the window's row in that shard's arrays
    video_id    INTEGER NOT NULL REFERENCES sequences(video_id) ON DELETE CASCADE,
    start_frame INTEGER NOT NULL,   -- first frame of the window in the sequence (its .npy row)
    frames      INTEGER NOT NULL,   -- W
    start_s     REAL NOT NULL,      -- the video time of the first and last frame (the sequence's `times`)
    end_s       REAL NOT NULL,
    PRIMARY KEY (folder, split, shard, row)
) STRICT;
CREATE INDEX windows_video ON windows(video_id);

-- Each window with its video: dataset, path, labels and the seconds it covers.
CREATE VIEW window_sources AS
SELECT w.folder, w.split, w.shard, w.row, v.dataset, v.path, w.start_frame, w.frames, w.start_s, w.end_s,
       v.exercise, v.quality
FROM windows w JOIN videos v ON v.id = w.video_id;

PRAGMA user_version = 3;
