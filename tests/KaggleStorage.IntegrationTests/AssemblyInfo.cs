// These tests drive GNU tar and gzip, POSIX modes and SIGKILL: they describe the Linux hosts the store runs on.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
