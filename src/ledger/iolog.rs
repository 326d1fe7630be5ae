//! For crash tests only (the `fault-injection` feature): with `$GONGYU_IO_LOG` set, every
//! write, truncation, sync and deletion SQLite makes, and every rename and folder sync
//! gongyu makes, is appended to that file in order, with the bytes written. From such a
//! log `tests/power_loss.rs` rebuilds what a disk could hold after a power cut at any
//! point of the run (what was synced, plus any subset of the rest, some of it garbled),
//! in the manner of the crash VFS of SQLite's own tests (`src/test6.c`).
//!
//! The log is a wrapping VFS, registered as the default before any ledger is opened: it
//! passes every call on to the platform's VFS and records the calls that change files.
//! Files SQLite deletes on close (statement journals, sorter spills) are not recorded:
//! no power cut can leave them to be read.
//!
//! Records, each a tag byte and little-endian fields (`path` is a u32 length and bytes):
//! `O id flags path` a file opened; `W id offset len bytes` a write; `T id size`;
//! `S id dirsync` a sync of file `id` (dirsync 1 when SQLite also syncs its folder, as it
//! does at the first sync of a WAL or rollback journal it created); `D path dirsync` a
//! deletion; `R from to` a rename; `Y path` a folder synced.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use rusqlite::ffi;

static LOG: Mutex<Option<std::fs::File>> = Mutex::new(None);
static NEXT_ID: Mutex<u32> = Mutex::new(0);
/// The platform's VFS, which every call is passed on to.
static mut INNER: *mut ffi::sqlite3_vfs = std::ptr::null_mut();

fn record(bytes: &[u8]) {
    if let Some(f) = LOG.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        f.write_all(bytes).expect("writing the I/O log");
    }
}

fn put_path(out: &mut Vec<u8>, path: &[u8]) {
    out.extend_from_slice(&(path.len() as u32).to_le_bytes());
    out.extend_from_slice(path);
}

/// Records a rename made by gongyu itself.
pub fn rename(from: &Path, to: &Path) {
    let mut r = vec![b'R'];
    put_path(&mut r, from.as_os_str().as_encoded_bytes());
    put_path(&mut r, to.as_os_str().as_encoded_bytes());
    record(&r);
}

/// Records a folder synced by gongyu itself.
pub fn dir_synced(dir: &Path) {
    let mut r = vec![b'Y'];
    put_path(&mut r, dir.as_os_str().as_encoded_bytes());
    record(&r);
}

/// Registers the logging VFS as the default if `$GONGYU_IO_LOG` names a file. Call before
/// any connection is opened.
pub fn install_from_env() {
    let Some(path) = crate::ambient::io_log() else { return };
    let file = std::fs::OpenOptions::new().create(true).append(true).open(&path).expect("opening $GONGYU_IO_LOG");
    *LOG.lock().unwrap() = Some(file);
    // SAFETY: called once at start, before any other thread or connection exists; the VFS
    // structure is leaked, so it lives as long as SQLite may use it.
    unsafe {
        ffi::sqlite3_initialize();
        let inner = ffi::sqlite3_vfs_find(std::ptr::null());
        assert!(!inner.is_null(), "SQLite has no default VFS");
        INNER = inner;
        let mut vfs = *inner;
        vfs.zName = c"gongyu-iolog".as_ptr();
        vfs.szOsFile = (std::mem::size_of::<LogFile>() as c_int) + (*inner).szOsFile;
        vfs.pNext = std::ptr::null_mut();
        vfs.xOpen = Some(log_open);
        vfs.xDelete = Some(log_delete);
        let vfs = Box::leak(Box::new(vfs));
        assert_eq!(ffi::sqlite3_vfs_register(vfs, 1), ffi::SQLITE_OK, "registering the I/O log VFS");
    }
}

/// A file opened through the logging VFS; the platform's file follows it in memory.
#[repr(C)]
struct LogFile {
    base: ffi::sqlite3_file,
    inner: *mut ffi::sqlite3_file,
    /// 0: not recorded (deleted on close).
    id: u32,
    /// SQLite syncs the folder at the first sync of a WAL or journal it opened to create.
    dir_sync_pending: bool,
}

unsafe fn inner(f: *mut ffi::sqlite3_file) -> *mut ffi::sqlite3_file {
    (*(f as *mut LogFile)).inner
}

unsafe fn methods(f: *mut ffi::sqlite3_file) -> &'static ffi::sqlite3_io_methods {
    &*(*inner(f)).pMethods
}

unsafe extern "C" fn log_open(
    _vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    let lf = file as *mut LogFile;
    let real = (lf as *mut u8).add(std::mem::size_of::<LogFile>()) as *mut ffi::sqlite3_file;
    (*lf).inner = real;
    (*lf).base.pMethods = std::ptr::null();
    let rc = ((*INNER).xOpen.unwrap())(INNER, name, real, flags, out_flags);
    if (*real).pMethods.is_null() {
        return rc;
    }
    (*lf).base.pMethods = &LOG_METHODS;
    (*lf).id = 0;
    let create = flags & ffi::SQLITE_OPEN_CREATE != 0;
    (*lf).dir_sync_pending = create && flags & (ffi::SQLITE_OPEN_WAL | ffi::SQLITE_OPEN_MAIN_JOURNAL) != 0;
    if rc == ffi::SQLITE_OK && !name.is_null() && flags & ffi::SQLITE_OPEN_DELETEONCLOSE == 0 {
        let mut next = NEXT_ID.lock().unwrap_or_else(|e| e.into_inner());
        *next += 1;
        (*lf).id = *next;
        let mut r = vec![b'O'];
        r.extend_from_slice(&next.to_le_bytes());
        r.extend_from_slice(&(flags as u32).to_le_bytes());
        put_path(&mut r, CStr::from_ptr(name).to_bytes());
        record(&r);
    }
    rc
}

unsafe extern "C" fn log_delete(_vfs: *mut ffi::sqlite3_vfs, name: *const c_char, sync_dir: c_int) -> c_int {
    let rc = ((*INNER).xDelete.unwrap())(INNER, name, sync_dir);
    if rc == ffi::SQLITE_OK {
        let mut r = vec![b'D'];
        put_path(&mut r, CStr::from_ptr(name).to_bytes());
        r.push(u8::from(sync_dir != 0));
        record(&r);
    }
    rc
}

unsafe extern "C" fn log_close(f: *mut ffi::sqlite3_file) -> c_int {
    (methods(f).xClose.unwrap())(inner(f))
}

unsafe extern "C" fn log_write(f: *mut ffi::sqlite3_file, data: *const c_void, amount: c_int, offset: i64) -> c_int {
    let rc = (methods(f).xWrite.unwrap())(inner(f), data, amount, offset);
    let id = (*(f as *mut LogFile)).id;
    if id != 0 && rc == ffi::SQLITE_OK {
        let bytes = std::slice::from_raw_parts(data as *const u8, amount as usize);
        let mut r = Vec::with_capacity(17 + bytes.len());
        r.push(b'W');
        r.extend_from_slice(&id.to_le_bytes());
        r.extend_from_slice(&(offset as u64).to_le_bytes());
        r.extend_from_slice(&(amount as u32).to_le_bytes());
        r.extend_from_slice(bytes);
        record(&r);
    }
    rc
}

unsafe extern "C" fn log_truncate(f: *mut ffi::sqlite3_file, size: i64) -> c_int {
    let rc = (methods(f).xTruncate.unwrap())(inner(f), size);
    let id = (*(f as *mut LogFile)).id;
    if id != 0 && rc == ffi::SQLITE_OK {
        let mut r = vec![b'T'];
        r.extend_from_slice(&id.to_le_bytes());
        r.extend_from_slice(&(size as u64).to_le_bytes());
        record(&r);
    }
    rc
}

unsafe extern "C" fn log_sync(f: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    let rc = (methods(f).xSync.unwrap())(inner(f), flags);
    let lf = f as *mut LogFile;
    if (*lf).id != 0 && rc == ffi::SQLITE_OK {
        let mut r = vec![b'S'];
        r.extend_from_slice(&(*lf).id.to_le_bytes());
        r.push(u8::from((*lf).dir_sync_pending));
        (*lf).dir_sync_pending = false;
        record(&r);
    }
    rc
}

unsafe extern "C" fn log_read(f: *mut ffi::sqlite3_file, data: *mut c_void, amount: c_int, offset: i64) -> c_int {
    (methods(f).xRead.unwrap())(inner(f), data, amount, offset)
}
unsafe extern "C" fn log_file_size(f: *mut ffi::sqlite3_file, size: *mut i64) -> c_int {
    (methods(f).xFileSize.unwrap())(inner(f), size)
}
unsafe extern "C" fn log_lock(f: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    (methods(f).xLock.unwrap())(inner(f), level)
}
unsafe extern "C" fn log_unlock(f: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    (methods(f).xUnlock.unwrap())(inner(f), level)
}
unsafe extern "C" fn log_check_reserved_lock(f: *mut ffi::sqlite3_file, out: *mut c_int) -> c_int {
    (methods(f).xCheckReservedLock.unwrap())(inner(f), out)
}
unsafe extern "C" fn log_file_control(f: *mut ffi::sqlite3_file, op: c_int, arg: *mut c_void) -> c_int {
    (methods(f).xFileControl.unwrap())(inner(f), op, arg)
}
unsafe extern "C" fn log_sector_size(f: *mut ffi::sqlite3_file) -> c_int {
    (methods(f).xSectorSize.unwrap())(inner(f))
}
unsafe extern "C" fn log_device_characteristics(f: *mut ffi::sqlite3_file) -> c_int {
    (methods(f).xDeviceCharacteristics.unwrap())(inner(f))
}
unsafe extern "C" fn log_shm_map(
    f: *mut ffi::sqlite3_file,
    pg: c_int,
    size: c_int,
    extend: c_int,
    out: *mut *mut c_void,
) -> c_int {
    match methods(f).xShmMap {
        Some(m) if methods(f).iVersion >= 2 => m(inner(f), pg, size, extend, out),
        _ => ffi::SQLITE_IOERR,
    }
}
unsafe extern "C" fn log_shm_lock(f: *mut ffi::sqlite3_file, offset: c_int, n: c_int, flags: c_int) -> c_int {
    match methods(f).xShmLock {
        Some(m) if methods(f).iVersion >= 2 => m(inner(f), offset, n, flags),
        _ => ffi::SQLITE_IOERR,
    }
}
unsafe extern "C" fn log_shm_barrier(f: *mut ffi::sqlite3_file) {
    if let Some(m) = methods(f).xShmBarrier.filter(|_| methods(f).iVersion >= 2) {
        m(inner(f))
    }
}
unsafe extern "C" fn log_shm_unmap(f: *mut ffi::sqlite3_file, delete: c_int) -> c_int {
    match methods(f).xShmUnmap {
        Some(m) if methods(f).iVersion >= 2 => m(inner(f), delete),
        _ => ffi::SQLITE_OK,
    }
}
unsafe extern "C" fn log_fetch(f: *mut ffi::sqlite3_file, offset: i64, amount: c_int, out: *mut *mut c_void) -> c_int {
    match methods(f).xFetch {
        Some(m) if methods(f).iVersion >= 3 => m(inner(f), offset, amount, out),
        _ => {
            *out = std::ptr::null_mut();
            ffi::SQLITE_OK
        }
    }
}
unsafe extern "C" fn log_unfetch(f: *mut ffi::sqlite3_file, offset: i64, p: *mut c_void) -> c_int {
    match methods(f).xUnfetch {
        Some(m) if methods(f).iVersion >= 3 => m(inner(f), offset, p),
        _ => ffi::SQLITE_OK,
    }
}

static LOG_METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 3,
    xClose: Some(log_close),
    xRead: Some(log_read),
    xWrite: Some(log_write),
    xTruncate: Some(log_truncate),
    xSync: Some(log_sync),
    xFileSize: Some(log_file_size),
    xLock: Some(log_lock),
    xUnlock: Some(log_unlock),
    xCheckReservedLock: Some(log_check_reserved_lock),
    xFileControl: Some(log_file_control),
    xSectorSize: Some(log_sector_size),
    xDeviceCharacteristics: Some(log_device_characteristics),
    xShmMap: Some(log_shm_map),
    xShmLock: Some(log_shm_lock),
    xShmBarrier: Some(log_shm_barrier),
    xShmUnmap: Some(log_shm_unmap),
    xFetch: Some(log_fetch),
    xUnfetch: Some(log_unfetch),
};
