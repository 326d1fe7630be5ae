files-removed-partial = removed { $partial }, a partial copy left by an interrupted write of { $file }
