pub mod atlas;
