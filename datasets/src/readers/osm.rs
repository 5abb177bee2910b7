//! OpenStreetMap PBF reader.
