import Biomechanics

/// The model's dimensions; the defaults are the production model (3,188,365 parameters).
public struct ModelConfig: Codable, Sendable, Equatable {
    /// Landmarks (graph nodes) and input channels per landmark.
    public var landmarks = 33, inputChannels = 3
    /// Widths of the three graph-convolution layers.
    public var gcnWidths = [64, 64, 64]
    /// Frame embedding width and LSTM hidden units per direction.
    public var embed = 256, hidden = 256
    public var lstmLayers = 2
    /// Exercise classes: by default the vocabulary's (`Exercise`, docs/LABELS.md).
    public var classes = Exercise.allCases.count
    public init() {}

    /// The vocabulary's class names in head order: the one list every checkpoint starts from.
    public static var classNames: [String] { Exercise.allCases.map(\.rawValue) }
}

extension ModelConfig {
    /// The largest width or class count a file may declare: far above any real model, small enough
    /// that no product of dimensions overflows.
    public static let dimensionLimit = 1 << 16
    /// The most graph or LSTM layers a file may declare.
    public static let layerLimit = 16

    /// The first field this model cannot run with, and why; nil when every dimension is usable.
    public var problem: (field: String, reason: String)? {
        let landmarks = Landmark.count
        if self.landmarks != landmarks { return ("landmarks", "\(self.landmarks), expected \(landmarks) (the skeleton graph)") }
        let sizes = [("inputChannels", inputChannels), ("embed", embed), ("hidden", hidden), ("classes", classes)]
            + gcnWidths.enumerated().map { ("gcnWidths[\($0.offset)]", $0.element) }
        for (field, value) in sizes where !(1...Self.dimensionLimit).contains(value) {
            return (field, "\(value), expected 1...\(Self.dimensionLimit)")
        }
        if !(1...Self.layerLimit).contains(gcnWidths.count) { return ("gcnWidths", "\(gcnWidths.count) layers, expected 1...\(Self.layerLimit)") }
        if !(1...Self.layerLimit).contains(lstmLayers) { return ("lstmLayers", "\(lstmLayers), expected 1...\(Self.layerLimit)") }
        return nil
    }
}

/// All parameters live in one flat buffer; this table names each tensor and its shape.
///
/// Gradients and Adam's two moments reuse the same layout, so one offset finds a tensor in all four.
/// Weights are stored as PyTorch stores them, `[out, in]`, so export and import are copies.
public struct ParameterTable: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var offset: Int
        public var count: Int { shape.reduce(1, *) }
    }

    public private(set) var entries: [Entry] = []
    public private(set) var count = 0

    public init(_ config: ModelConfig) {
        var input = config.inputChannels
        for (i, width) in config.gcnWidths.enumerated() {
            add("gcn.\(i).weight", [width, input])
            add("gcn.\(i).bias", [width])
            input = width
        }
        add("embed.weight", [config.embed, config.landmarks * input])
        add("embed.bias", [config.embed])
        var lstmInput = config.embed
        for layer in 0..<config.lstmLayers {
            for direction in ["", "_reverse"] {
                // One bias per gate (gate order i, f, g, o), as the spec keeps it.
                add("lstm.weight_ih_l\(layer)\(direction)", [4 * config.hidden, lstmInput])
                add("lstm.weight_hh_l\(layer)\(direction)", [4 * config.hidden, config.hidden])
                add("lstm.bias_l\(layer)\(direction)", [4 * config.hidden])
            }
            lstmInput = 2 * config.hidden
        }
        for (head, outputs) in [("form", 1), ("angles", 6), ("exercise", config.classes), ("risk", 1)] {
            add("\(head).weight", [outputs, 4 * config.hidden])   // the mean and the maximum over time
            add("\(head).bias", [outputs])
        }
    }

    private mutating func add(_ name: String, _ shape: [Int]) {
        let entry = Entry(name: name, shape: shape, offset: count)
        entries.append(entry)
        count += entry.count
    }

    /// The entry named `name`; a missing name is a programming error.
    public subscript(_ name: String) -> Entry {
        guard let entry = entries.first(where: { $0.name == name }) else { preconditionFailure("no parameter \(name)") }
        return entry
    }
}
