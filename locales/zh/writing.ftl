## 写入用户指定的文件（src/files.rs）：-o、--rejects、backup。键和占位符与 locales/en/writing.ftl 一致。

files-is-ledger = { $flag } { $path }：这是台账文件（或其 -wal/-shm 附属文件），gongyu 不会写入它，加 --force 也不会；请换一个文件名
files-symlink = { $flag } { $path }：这是一个符号链接；gongyu 不经链接写文件，也不替换链接本身（加 --force 也不会）——请给出真实的文件路径
files-folder = { $flag } { $path }：这是一个文件夹，不是文件
files-backup-exists = { $flag } { $path }：文件已存在；备份从不覆盖已有文件，请换一个文件名
files-exists = { $flag } { $path }：文件已存在；为免覆盖，请换一个文件名，或加 --force 替换它
files-cannot-write = 无法写入 { $path }
files-cannot-write-because = 无法写入 { $path }：{ $reason }
