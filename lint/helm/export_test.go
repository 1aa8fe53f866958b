package helm

// Corpus is the corpus folder for the external tests; "" when there is none.
var Corpus = corpus
