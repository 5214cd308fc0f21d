import CFFmpeg

/// Counts one stream's packets by demuxing the whole file (no decoding), for containers such as
/// WebM and Matroska that do not state a frame count.
struct PacketCount {
    /// Packets of the video stream read before the end of the file or the first read error.
    private(set) var packets = 0
    /// From the earliest timestamp to the latest packet's end, when the packets carry timestamps.
    private(set) var spanSeconds: Double?

    init(_ format: UnsafeMutablePointer<AVFormatContext>, videoStream index: Int) {
        // Other streams are discarded so the demuxer skips their payloads.
        for other in 0..<Int(format.pointee.nb_streams) where other != index {
            format.pointee.streams[other]?.pointee.discard = AVDISCARD_ALL
        }
        guard let packet = av_packet_alloc() else { return }
        defer { var owned: UnsafeMutablePointer<AVPacket>? = packet; av_packet_free(&owned) }
        var first = Int64.max, end = Int64.min
        // A read error other than end-of-file (a truncated file) ends the count early: what was read stands.
        while av_read_frame(format, packet) >= 0 {
            defer { av_packet_unref(packet) }
            guard Int(packet.pointee.stream_index) == index else { continue }
            packets += 1
            let time = packet.pointee.pts != Int64.min ? packet.pointee.pts : packet.pointee.dts
            guard time != Int64.min else { continue }
            first = min(first, time)
            end = max(end, time + max(packet.pointee.duration, 0))
        }
        if first < end, let stream = format.pointee.streams[index] {
            spanSeconds = Libav.seconds(end - first, stream.pointee.time_base)
        }
    }
}
