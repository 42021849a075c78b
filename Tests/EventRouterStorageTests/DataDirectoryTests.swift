#if canImport(Glibc)
import Glibc
#endif
import EventRouterStorage
import Testing

/// The data directory: created when missing, its format version, a folder we cannot write, and
/// the lock (a second opener is refused, naming the holder's pid).
@Suite struct DataDirectoryTests {
    @Test func aMissingFolderIsCreatedWithItsFormatAndTheLockHoldsOurPid() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let directory = try await DataDirectory.open(folder.path + "/a/b/.eventrouter")
        #expect(directory.path == folder.path + "/a/b/.eventrouter")
        #expect(String(decoding: folder.bytes("a/b/.eventrouter/format"), as: UTF8.self) == "2\n")
        #expect(String(decoding: folder.bytes("a/b/.eventrouter/lock"), as: UTF8.self) == "\(getpid())\n")
    }

    /// `flock` locks belong to an open file, so a second open in this process is refused as
    /// another process would be (the binary's test, RunDataDirectoryTests, uses two processes).
    @Test func aSecondOpenerIsRefusedNamingTheHolderAndSucceedsOnceItIsReleased() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        // Opened on this thread: `open` hands the directory over from a storage thread, which may
        // still hold it for a moment after the hand-over, so `first = nil` would not always be the
        // last release (seen once under load).
        var first: DataDirectory? = try DataDirectory.openBlocking(folder.path)
        let error = await #expect(throws: JournalError.self) { try await DataDirectory.open(folder.path) }
        #expect(error?.message == "the data directory \(folder.path) is in use by another eventrouter (pid \(getpid()), per \(folder.path)/lock); stop that process first, or pass another --data-dir, or --in-memory")
        withExtendedLifetime(first) {}
        first = nil
        _ = try await DataDirectory.open(folder.path)
    }

    @Test(arguments: [
        ("3\n", "has data format 3, written by a newer eventrouter; this eventrouter reads formats 1 to 2. Run an eventrouter that reads format 3 (the one that wrote it), or pass another --data-dir (or move this one aside) to start empty"),
        ("version two\n", "format does not hold a data format version (its first line should be a number such as 2, found 'version two'); restore it, or move the data directory aside to start empty"),
    ])
    func aNewerOrUnreadableFormatIsRefused(text: String, message: String) async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        folder.write("format", Array(text.utf8))
        let error = await #expect(throws: JournalError.self) { try await DataDirectory.open(folder.path) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        #expect(String(decoding: folder.bytes("format"), as: UTF8.self) == text, "left as it was")
    }

    /// Format 1 (binary queue records and snapshot sections did not exist yet) is read, and the
    /// file now says 2: this build writes format 2 records into the folder from now on.
    @Test func aFormat1FolderIsOpenedAndMarkedFormat2() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        folder.write("format", Array("1\n".utf8))
        _ = try await DataDirectory.open(folder.path)
        #expect(String(decoding: folder.bytes("format"), as: UTF8.self) == "2\n")
    }

    /// chmod 000 refuses a regular user; root ignores modes, so there the data directory is put
    /// under a regular file instead — either way the message says it is not writable and why.
    @Test func aFolderThatIsNotWritableIsRefusedWithWhatToDo() async throws {
        let folder = TemporaryFolder()
        defer { folder.remove() }
        let path: String, reason: String
        if geteuid() == 0 {
            folder.write("file", [])
            path = folder.path + "/file/.eventrouter"
            reason = "a part of that path is a file, not a folder; pass another --data-dir, or --in-memory"
        } else {
            path = folder.path + "/locked"
            mkdir(path, 0o000)
            reason = "permission denied; make it writable (chmod u+rwx \(path)) or pass another --data-dir, or --in-memory"
        }
        let error = await #expect(throws: JournalError.self) { try await DataDirectory.open(path) }
        #expect(error?.message == "the data directory \(path) is not writable: \(reason)")
        chmod(path, 0o755)
    }
}
