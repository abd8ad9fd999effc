/// Finding the state dictionary in the unpickled object.
extension TorchCheckpoint {
    /// The tensor records of the state dictionary in `root`: `root` itself when
    /// every value is a tensor, otherwise its one entry that is such a dict
    /// (`{"state_dict": {...}, "epoch": 99}`). Keys repeated in a dict keep their
    /// last value, as Python assignment would.
    ///
    /// - Throws: ``CheckpointError/notAStateDict(file:reason:)`` if there is no such dict, or several.
    static func stateDictionary(in root: PickleValue, file: String) throws(CheckpointError) -> [(key: String, record: TorchTensorRecord)] {
        guard case .dict(let dict) = root else {
            throw .notAStateDict(file: file, reason: "the saved object is a \(root.typeName), not a dict")
        }
        if let records = tensorRecords(dict) { return records }
        let nested = dict.entries.compactMap { entry -> (key: String, records: [(key: String, record: TorchTensorRecord)])? in
            guard case .string(let key) = entry.key, case .dict(let inner) = entry.value,
                  let records = tensorRecords(inner), !records.isEmpty else { return nil }
            return (key, records)
        }
        guard nested.count == 1 else {
            let reason = nested.isEmpty
                ? "neither the saved dict nor any dict inside it holds only tensors"
                : "several entries hold dicts of tensors (\(nested.map(\.key).joined(separator: ", "))); extract one in Python first"
            throw .notAStateDict(file: file, reason: reason)
        }
        return nested[0].records
    }

    /// The entries of `dict` if every key is a string and every value a tensor.
    private static func tensorRecords(_ dict: PickleDict) -> [(key: String, record: TorchTensorRecord)]? {
        var records: [(key: String, record: TorchTensorRecord)] = []
        for entry in dict.entries {
            guard case .string(let key) = entry.key, case .tensor(let record) = entry.value else { return nil }
            records.append((key, record))
        }
        return records
    }
}
