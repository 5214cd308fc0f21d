extension Duration {
    /// The duration in seconds, for rates and benchmark tables.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
