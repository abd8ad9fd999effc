import LumenTensor

/// Gray levels as BT.601 luma, the weights of OpenCV's `COLOR_RGB2GRAY` and of
/// full-range ``YCbCr``'s Y.
public enum Gray {
    /// RGB `[N, 3, H, W]` in `[0, 1]` to gray `[N, 1, H, W]`: `0.299 R + 0.587 G + 0.114 B`.
    public static func fromRGB(_ rgb: Tensor) -> Tensor {
        let axis = rgb.shape.rank - 3
        precondition(axis >= 0 && rgb.shape[axis] == 3, "gray of shape \(rgb.shape); expected [N, 3, H, W]")
        return withoutGradients {
            rgb.sliced(axis: axis, range: 0..<1) * 0.299 + rgb.sliced(axis: axis, range: 1..<2) * 0.587
                + rgb.sliced(axis: axis, range: 2..<3) * 0.114
        }
    }

    /// Gray `[N, 1, H, W]` replicated to three RGB channels.
    public static func toRGB(_ gray: Tensor) -> Tensor {
        let axis = gray.shape.rank - 3
        precondition(axis >= 0 && gray.shape[axis] == 1, "gray image of shape \(gray.shape); expected [N, 1, H, W]")
        return withoutGradients { Tensor.concatenated([gray, gray, gray], axis: axis) }
    }
}
