throw new Error("canvas is not installed (Sift only uses jsroot I/O)");
