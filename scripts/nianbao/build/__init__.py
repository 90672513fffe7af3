"""The layer that runs the pure code: the MkDocs build's state and steps, publishing a build and
the locks that keep two runs apart. Speed (cache, pools) comes from nianbao.speed."""
