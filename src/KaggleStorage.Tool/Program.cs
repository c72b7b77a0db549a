using System.Text;
using KaggleStorage.Tool;
using Microsoft.Win32.SafeHandles;

// Writers straight on file descriptors 1 and 2: System.Console, when stdin is a terminal, first writes the
// terminal's keypad-mode sequence (ESC[?1h ESC=) into our output, which lands in logs and captured text.
using var stdout = StandardStream(1);
using var stderr = StandardStream(2);
return await new KaggleStorageCommandLine(stdout, stderr, interactive: !Console.IsOutputRedirected).InvokeAsync(args);

static StreamWriter StandardStream(int descriptor) =>
    OperatingSystem.IsWindows()
        ? new StreamWriter(descriptor == 1 ? Console.OpenStandardOutput() : Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true }
        : new StreamWriter(new FileStream(new SafeFileHandle(descriptor, ownsHandle: false), FileAccess.Write, 1), new UTF8Encoding(false)) { AutoFlush = true };
