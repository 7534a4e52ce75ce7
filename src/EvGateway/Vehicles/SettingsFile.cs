using System.Text.Json;

namespace EvGateway.Vehicles;

/// <summary>
/// One JSON file the gateway keeps in its data directory, under the one policy every such file follows. Writes go
/// through <see cref="AtomicFile"/>: a crash leaves the old content or the new, never a torn file, readable by its owner
/// only. A file that cannot be parsed is never overwritten silently: it is renamed to
/// <c>&lt;name&gt;.corrupt-&lt;UTC time&gt;</c>, one error line names it and says what happens next, and its owner
/// starts empty; the owner's next save then writes a fresh file beside the one set aside.
/// </summary>
/// <param name="path">The file.</param>
/// <param name="json">How the content is serialised.</param>
/// <param name="startingEmpty">What starting empty means for the owner, for the log line ("charge control starts with no setting").</param>
/// <param name="time">Clock that names a file set aside.</param>
/// <param name="logger">Where the line about a file set aside goes.</param>
public sealed class SettingsFile<T>(string path, JsonSerializerOptions json, string startingEmpty, TimeProvider time, ILogger logger)
    where T : class
{
    public const string SetAsideMarker = ".corrupt-";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>What the last <see cref="Load"/> found wrong and did about it, in one sentence; null when the file was fine or absent.</summary>
    public string? LoadProblem { get; private set; }

    /// <summary>The stored value; null when there is no file or it could not be parsed (then it was set aside).</summary>
    public T? Load()
    {
        RemoveTemporaryFilesOfAnInterruptedWrite();
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            return Parse(File.ReadAllText(Path), json) ?? throw new JsonException("the file holds null");
        }
        catch (Exception failure) when (failure is JsonException or NotSupportedException or InvalidOperationException)
        {
            SetAside(failure);
            return null;
        }
    }

    /// <summary>
    /// Reads the file without any side effect, for a look before its owner loads it (is an account stored?); null
    /// when there is none or it cannot be parsed. The owner's <see cref="Load"/> deals with a damaged file.
    /// </summary>
    public static T? Peek(string path, JsonSerializerOptions json)
    {
        try
        {
            return File.Exists(path) ? Parse(File.ReadAllText(path), json) : null;
        }
        catch (Exception failure) when (failure is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    public Task SaveAsync(T value, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(Path, JsonSerializer.Serialize(value, json), cancellationToken);

    private static T? Parse(string content, JsonSerializerOptions json) => JsonSerializer.Deserialize<T>(content, json);

    private void SetAside(Exception failure)
    {
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var aside = $"{Path}{SetAsideMarker}{stamp}";
        for (var n = 2; File.Exists(aside); n++)
        {
            aside = $"{Path}{SetAsideMarker}{stamp}-{n}";
        }

        File.Move(Path, aside);
        var file = System.IO.Path.GetFileName(Path);
        var setAsideAs = System.IO.Path.GetFileName(aside);
        var reason = Reason(failure);
        LoadProblem = $"{file} could not be read ({reason}); it was set aside as {setAsideAs} and {startingEmpty}.";
        logger.LogError("{File} could not be read ({Reason}); it was set aside as {SetAsideAs} and {StartingEmpty}",
            file, reason, setAsideAs, startingEmpty);
    }

    // Position only: a parser's message may quote the file's content, and these files hold tokens and PINs.
    private static string Reason(Exception failure) => failure switch
    {
        JsonException { LineNumber: { } line, BytePositionInLine: { } position } =>
            $"not valid JSON at line {line + 1}, byte {position + 1}",
        JsonException => "not the JSON it should hold",
        _ => "a value of the wrong shape",
    };

    // A temporary file can only be left by a write that died before its rename; the target still holds the last
    // complete content, so the leftover is never the truth.
    private void RemoveTemporaryFilesOfAnInterruptedWrite()
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var leftover in Directory.EnumerateFiles(directory, AtomicFile.TemporaryNamePattern(Path)))
        {
            logger.LogWarning("Removing {File}, left by an interrupted settings write", System.IO.Path.GetFileName(leftover));
            File.Delete(leftover);
        }
    }
}
