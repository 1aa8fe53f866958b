package load

// MinPiece is minPiece, for tests of how streams are cut.
const MinPiece = minPiece
