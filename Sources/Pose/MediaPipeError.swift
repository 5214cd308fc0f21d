import BiomechCore

/// Why MediaPipe could not be loaded or run; `description` names the file or call and the fix.
public struct MediaPipeError: BiomechError, Sendable, Equatable {
    /// The file or MediaPipe call concerned.
    public var subject: String
    public var reason: String
    /// 2 when setup is missing or broken (nothing ran), 1 when MediaPipe failed on the work.
    public var exitCode: Int32

    public init(subject: String, reason: String, exitCode: Int32) {
        self.subject = subject
        self.reason = reason
        self.exitCode = exitCode
    }

    /// A file from `make setup` that is missing or unusable.
    static func setup(_ path: String, _ reason: String) -> MediaPipeError {
        MediaPipeError(subject: path, reason: "\(reason); run `make setup` (it puts libmediapipe.so 0.10.35 and "
                       + "the pose bundle into .mediapipe/), or set BIOMECH_MEDIAPIPE_DIR to a folder holding them",
                       exitCode: ExitStatus.usage)
    }

    public var description: String { "\(subject): \(reason)" }
}
