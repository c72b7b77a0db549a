namespace KaggleStorage.Tool;

/// <summary>The tool's exit codes, part of its contract with scripts and CronJobs.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation ran and failed: verification mismatch, failed partition, lock held.</summary>
    public const int OperationFailed = 1;

    /// <summary>Bad usage or input: unknown option, bad date, missing directory, invalid configuration.</summary>
    public const int BadInput = 2;

    /// <summary>The reader of stdout or stderr went away; what a shell shows for a process ended by SIGPIPE (128 + 13).</summary>
    public const int OutputClosed = 141;
}
