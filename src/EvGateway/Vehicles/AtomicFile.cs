using System.Text;

namespace EvGateway.Vehicles;

/// <summary>
/// Writes a file so that a crash at any instant leaves either the old content or the new one, never a torn or
/// empty file: the bytes go to a temporary file beside the target, are flushed to disk, then renamed over it.
/// </summary>
public static class AtomicFile
{
    public static Task WriteAllTextAsync(string path, string content, CancellationToken cancellationToken = default) =>
        WriteAsync(path, content, secret: false, cancellationToken);

    /// <summary>
    /// Like <see cref="WriteAllTextAsync"/>, for a file only its owner may read (0600 on Unix): the temporary file is
    /// created with that mode, so the secret is never readable by others, not even for a moment.
    /// </summary>
    public static Task WriteSecretTextAsync(string path, string content, CancellationToken cancellationToken = default) =>
        WriteAsync(path, content, secret: true, cancellationToken);

    private static async Task WriteAsync(string path, string content, bool secret, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (secret && !OperatingSystem.IsWindows())
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
