//! The build context: which files of the project go to the engine, as a tar archive.
