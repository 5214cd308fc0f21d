import ArgumentParser

/// `--blas-core`: the OpenBLAS kernels for one run, in every command that runs the model.
///
/// The value is acted on before parsing, by `BLASKernel.startup` in `main` (OpenBLAS fixes its
/// kernels when it loads); declaring it here gives it a help text and keeps the parser accepting it.
public struct BLASOptions: ParsableArguments {
    @Option(help: ArgumentHelp("OpenBLAS kernels for this run, e.g. SkylakeX or Haswell (default: the best this CPU runs; docs/MODEL.md).",
                               valueName: "core"))
    public var blasCore: String?

    public init() {}
}
