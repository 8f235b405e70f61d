// Temporary until the Tokenizers module lands on main (it defines `TokenID`).
public typealias TokenID = Int32
