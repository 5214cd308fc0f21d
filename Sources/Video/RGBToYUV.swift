import CFFmpeg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Converts packed RGB24 pictures into a yuv420p frame with swscale: BT.601 matrix, limited range.
///
/// A picture of the frame's size, or one pixel wider or taller (an odd side rounded down to even),
/// is converted without scaling, the extra column or row left out; any other size is scaled
/// (bicubic) to the frame's.
final class RGBToYUV {
    /// Bytes swscale's SIMD RGB24 readers may load past the last pixel (24 measured at width 1770).
    /// A picture ending closer than this to the end of a memory page is copied into `padded` first,
    /// so those reads never touch an unmapped page; elsewhere they stay within the picture's page.
    static let readMargin = 256
    private static let pageSize = UInt(max(sysconf(Int32(_SC_PAGESIZE)), 4096))
    private var scaler: OpaquePointer?
    private var scalerKey: [Int32] = []
    private var padded: [UInt8] = []

    deinit { sws_freeContext(scaler) }

    /// Converts `rgb` (`height` rows of `width * 3` bytes) into `frame`, whose buffers must be writable.
    /// False when swscale refused.
    func convert(_ rgb: [UInt8], width: Int, height: Int, into frame: UnsafeMutablePointer<AVFrame>) -> Bool {
        let targetWidth = frame.pointee.width, targetHeight = frame.pointee.height
        let crops = (0...1).contains(width - Int(targetWidth)) && (0...1).contains(height - Int(targetHeight))
        let sourceWidth = crops ? targetWidth : Int32(width), sourceHeight = crops ? targetHeight : Int32(height)
        let key = [sourceWidth, sourceHeight, targetWidth, targetHeight]
        if key != scalerKey {
            sws_freeContext(scaler)
            scaler = sws_getContext(sourceWidth, sourceHeight, AV_PIX_FMT_RGB24, targetWidth, targetHeight, AV_PIX_FMT_YUV420P,
                                    SWS_BICUBIC, nil, nil, nil)
            scalerKey = key
            // RGB in is full range by nature; out: BT.601 limited range, what the stream is tagged with.
            if let scaler {
                sws_setColorspaceDetails(scaler, sws_getCoefficients(SWS_CS_ITU601), 1, sws_getCoefficients(SWS_CS_ITU601), 0,
                                         0, 1 << 16, 1 << 16)
            }
        }
        guard let scaler, rgb.count >= width * height * 3, !rgb.isEmpty else { return false }
        // Rows keep the full picture's stride, so a cropped picture just stops one pixel short.
        func scale(_ pixels: UnsafePointer<UInt8>) -> Int32 {
            var source: [UnsafePointer<UInt8>?] = [pixels, nil, nil, nil]
            var sourceStride: [Int32] = [Int32(width * 3), 0, 0, 0]
            return withUnsafePointer(to: &frame.pointee.data) { data in
                withUnsafePointer(to: &frame.pointee.linesize) { linesize in
                    data.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { planes in
                        linesize.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                            sws_scale(scaler, &source, &sourceStride, 0, sourceHeight, planes, strides)
                        }
                    }
                }
            }
        }
        let rows = rgb.withUnsafeBufferPointer { pixels -> Int32 in
            let end = UInt(bitPattern: pixels.baseAddress! + pixels.count)
            let roomOnPage = (Self.pageSize - end % Self.pageSize) % Self.pageSize
            guard roomOnPage < UInt(Self.readMargin) else { return scale(pixels.baseAddress!) }
            if padded.count < pixels.count + Self.readMargin { padded = [UInt8](repeating: 0, count: pixels.count + Self.readMargin) }
            return padded.withUnsafeMutableBufferPointer { copy -> Int32 in
                copy.baseAddress!.update(from: pixels.baseAddress!, count: pixels.count)
                return scale(copy.baseAddress!)
            }
        }
        return rows == targetHeight
    }
}
