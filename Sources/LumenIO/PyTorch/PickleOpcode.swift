/// The pickle opcodes that tensor state dictionaries use (protocols 2 to 4), by
/// byte. Any other byte in opcode position is refused with its offset; the full
/// set is documented in CPython's `Lib/pickletools.py`.
enum PickleOpcode: UInt8 {
    case mark = 0x28                // (
    case emptyTuple = 0x29          // )
    case stop = 0x2E                // .
    case binBytes = 0x42            // B, 4-byte length
    case shortBinBytes = 0x43       // C, 1-byte length
    case binFloat = 0x47            // G, big-endian float64
    case binInt = 0x4A              // J, signed 4 bytes
    case binInt1 = 0x4B             // K, unsigned 1 byte
    case binInt2 = 0x4D             // M, unsigned 2 bytes
    case none = 0x4E                // N
    case binPersistentID = 0x51     // Q
    case reduce = 0x52              // R
    case binString = 0x54           // T, Python 2 str, 4-byte length
    case shortBinString = 0x55      // U, Python 2 str, 1-byte length
    case binUnicode = 0x58          // X, 4-byte length
    case emptyList = 0x5D           // ]
    case append = 0x61              // a
    case build = 0x62               // b
    case global = 0x63              // c, "module\nname\n"
    case appends = 0x65             // e
    case binGet = 0x68              // h
    case longBinGet = 0x6A          // j
    case binPut = 0x71              // q
    case longBinPut = 0x72          // r
    case setItem = 0x73             // s
    case tuple = 0x74               // t
    case setItems = 0x75            // u
    case emptyDict = 0x7D           // }
    case proto = 0x80
    case newObject = 0x81
    case tuple1 = 0x85
    case tuple2 = 0x86
    case tuple3 = 0x87
    case newTrue = 0x88
    case newFalse = 0x89
    case long1 = 0x8A               // 1-byte length, little-endian two's complement
    case shortBinUnicode = 0x8C
    case binUnicode8 = 0x8D
    case stackGlobal = 0x93
    case memoize = 0x94
    case frame = 0x95
}
