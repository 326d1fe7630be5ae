## Writing a file a person named (src/files.rs): -o, --rejects, backup. Keys and placeholders
## match locales/zh/writing.ftl.

files-is-ledger = { $flag } { $path }: that is the ledger (or its -wal/-shm file); gongyu never writes there, not even with --force — choose another file name
files-symlink = { $flag } { $path }: that is a symbolic link; gongyu neither writes through a link nor replaces it (not even with --force) — give the real file's path
files-folder = { $flag } { $path }: that is a folder, not a file
files-backup-exists = { $flag } { $path }: the file already exists; a backup never replaces a file — choose a new file name for it
files-exists = { $flag } { $path }: the file already exists; choose a new name so nothing is overwritten, or give --force to replace it
files-cannot-write = cannot write { $path }
files-cannot-write-because = cannot write { $path }: { $reason }
