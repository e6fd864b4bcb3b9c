//go:build linux

package resident

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// trimExecutable drops the pages of the executable's mappings that hold
// nothing but file contents. A mapping with any anonymous (copied-on-write)
// page is left alone: the dynamic linker writes relocations into the RELRO
// region before making it read-only, and dropping those pages would bring
// back the unrelocated bytes from the file.
func trimExecutable() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return err
	}
	defer f.Close()
	type mapping struct {
		start, end uint64
		ok         bool
	}
	var maps []mapping
	cur := -1
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			// 00405000-00d52000 r-xp 00005000 08:01 1234 /path/to/exe
			cur = -1
			if len(fields) < 6 || fields[5] != exe || strings.ContainsAny(fields[1], "ws") {
				continue
			}
			lo, hi, _ := strings.Cut(fields[0], "-")
			start, err1 := strconv.ParseUint(lo, 16, 64)
			end, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 != nil || err2 != nil || end <= start {
				continue
			}
			maps = append(maps, mapping{start: start, end: end, ok: true})
			cur = len(maps) - 1
			continue
		}
		if cur >= 0 && len(fields) >= 2 && fields[0] == "Anonymous:" && fields[1] != "0" {
			maps[cur].ok = false
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	// Written back first: dirty pages cannot be dropped. A binary just
	// written by the linker sits in the page cache dirty, in large folios,
	// and the kernel maps a whole folio (up to 2 MB) for any byte of code
	// touched again.
	wbErr := writeBack(exe) // without it the trim still drops this process's share
	for _, m := range maps {
		if !m.ok {
			continue
		}
		// RANDOM: what is touched again is read a page at a time, not in
		// readahead-sized runs (large folios again); PAGEOUT drops the pages
		// from memory, not only from this process (DONTNEED, where PAGEOUT
		// is not known).
		if err := madvise(uintptr(m.start), uintptr(m.end-m.start), unix.MADV_RANDOM); err != nil {
			return fmt.Errorf("trimming %x-%x: %w", m.start, m.end, err)
		}
		if err := madvise(uintptr(m.start), uintptr(m.end-m.start), unix.MADV_PAGEOUT); err != nil {
			if err := madvise(uintptr(m.start), uintptr(m.end-m.start), unix.MADV_DONTNEED); err != nil {
				return fmt.Errorf("trimming %x-%x: %w", m.start, m.end, err)
			}
		}
	}
	return wbErr
}

func writeBack(exe string) error {
	f, err := os.Open(exe)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Fdatasync(int(f.Fd())); err != nil {
		return fmt.Errorf("writing back %s: %w", exe, err)
	}
	return nil
}

// madvise on a private file mapping with no anonymous pages: DONTNEED
// unmaps them (the next access reads them from the file or page cache).
func madvise(addr, length uintptr, advice int) error {
	_, _, errno := unix.Syscall(unix.SYS_MADVISE, addr, length, uintptr(advice))
	if errno != 0 {
		return errno
	}
	return nil
}
