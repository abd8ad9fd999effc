import Foundation
import LumenTensor

/// A tensor as `_rebuild_tensor_v2` describes it: `size` elements laid out with
/// `stride` (in elements) from `storageOffset` in a storage.
///
/// Legacy pickles come before the storage bytes they describe, so records are
/// collected first and gathered once every storage is known.
struct TorchTensorRecord {
    let storage: TorchStorageReference
    let storageOffset: Int
    /// Sizes and strides are non-negative and of equal rank (checked when unpickled).
    let size: [Int]
    let stride: [Int]

    /// Gathers the tensor's elements from its storage, converting them to Float32.
    ///
    /// - Parameters:
    ///   - name: the state-dict key, for error messages.
    ///   - storageBytes: the little-endian bytes of the whole storage.
    ///   - file: the file name, for error messages.
    /// - Throws: ``CheckpointError/storageTooSmall(file:tensor:storage:requiredCount:availableCount:)``
    ///   if the elements reach past the storage (or its legacy view).
    func tensor(named name: String, storageBytes: Data, file: String) throws(CheckpointError) -> Tensor {
        let elementType = storage.type.elementType
        let stored = storageBytes.count / elementType.byteCount
        func tooSmall(_ required: Int, _ available: Int) -> CheckpointError {
            .storageTooSmall(file: file, tensor: name, storage: storage.key, requiredCount: required, availableCount: available)
        }
        let available = storage.viewCount ?? max(0, stored - storage.viewOffset)
        let (viewEnd, viewOverflow) = storage.viewOffset.addingReportingOverflow(available)
        guard !viewOverflow, viewEnd <= stored else { throw tooSmall(viewOverflow ? .max : viewEnd, stored) }

        let shape = Shape(size)
        if size.contains(0) { return Tensor(shape: shape, scalars: []) }
        // The highest element the tensor touches, overflow-checked: the size and
        // stride come from the file and may be hostile.
        var last = storageOffset, overflow = false
        for (extent, step) in zip(size, stride) where !overflow {
            let (reach, o1) = (extent - 1).multipliedReportingOverflow(by: step)
            let (sum, o2) = last.addingReportingOverflow(reach)
            (last, overflow) = (sum, o1 || o2)
        }
        guard !overflow, last < available else { throw tooSmall(overflow ? .max : last + 1, available) }
        // A zero stride (an `expand`ed view) can name more elements than the storage
        // holds; refusing it keeps a small file from claiming unbounded memory.
        guard shape.elementCount <= available else { throw tooSmall(shape.elementCount, available) }

        let first = storage.viewOffset + storageOffset, spanCount = last - storageOffset + 1
        return storageBytes.withUnsafeBytes { raw in
            let span = UnsafeRawBufferPointer(
                rebasing: raw[first * elementType.byteCount ..< (first + spanCount) * elementType.byteCount])
            return Tensor(shape: shape) { destination in
                if isContiguous {
                    elementType.convert(span, into: destination)
                } else {
                    gather(from: span, elementType: elementType, spanCount: spanCount, into: destination)
                }
            }
        }
    }

    /// Whether the elements are consecutive in row-major order (strides of size-1 axes do not matter).
    private var isContiguous: Bool {
        var expected = 1
        for (extent, step) in zip(size, stride).reversed() {
            if extent != 1, step != expected { return false }
            expected *= extent
        }
        return true
    }

    /// Walks the strides over the decoded span (a transposed weight saved without
    /// `.contiguous()`, a slice of a larger tensor), odometer style.
    private func gather(from span: UnsafeRawBufferPointer, elementType: SafetensorsDType, spanCount: Int,
                        into destination: UnsafeMutableBufferPointer<Float>) {
        let values = [Float](unsafeUninitializedCapacity: spanCount) { buffer, count in
            elementType.convert(span, into: buffer)
            count = spanCount
        }
        var index = [Int](repeating: 0, count: size.count)
        var position = 0
        for element in destination.indices {
            destination[element] = values[position]
            var axis = size.count - 1
            while axis >= 0 {
                index[axis] += 1
                position += stride[axis]
                if index[axis] < size[axis] { break }
                position -= stride[axis] * size[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
