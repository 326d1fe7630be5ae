/* A stand-in for Windows' bcryptprimitives.dll, for the Wine test only (never shipped).
 *
 * Rust's standard library asks bcryptprimitives.dll for ProcessPrng (Windows 10 and later
 * have it); Debian's Wine 8 lacks it. This gives the same bytes source Windows' own
 * RtlGenRandom (advapi32's SystemFunction036) would. scripts/test-windows.sh builds it with
 * MinGW and puts it beside gongyu.exe in a scratch folder. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG part = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, part))
            return FALSE;
        data += part;
        len -= part;
    }
    return TRUE;
}
