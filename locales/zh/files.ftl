files-removed-partial = 已删除 { $partial }：上次写入 { $file } 时被中断而留下的未完成文件
