using System.Text;

namespace EvGateway.Vehicles;

/// <summary>
/// Writes a file so that a crash at any instant leaves either the old content or the new one, never a torn or
/// empty file: the bytes go to a temporary file beside the target, are flushed to disk, then renamed over it. The
/// gateway's files hold settings, tokens and logins, so they are readable by their owner only (0600) from the first
/// byte on: the temporary file is created with that mode.
/// </summary>
public static class AtomicFile
{
    /// <summary>The names of the temporary files a write of <paramref name="path"/> uses, as a search pattern.</summary>
    public static string TemporaryNamePattern(string path) => $".{Path.GetFileName(path)}.*.tmp";

    public static async Task WriteAllTextAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, TemporaryNamePattern(path).Replace("*", $"{Guid.NewGuid():N}", StringComparison.Ordinal));
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
