using System.Text.Json;
using EvGateway.Tests.TestSupport;
using EvGateway.Vehicles;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Vehicles;

public class SettingsFileTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private sealed record Sample(string Name, int Count);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SettingsFile<Sample> Open(TemporaryDirectory data, CapturedLog log) =>
        new(data.File("sample.json"), JsonSerializerOptions.Web, "the sample starts empty", new FakeTimeProvider(Now), log.CreateLogger("sample"));

    [Fact]
    public async Task A_saved_value_reloads_equal_from_a_file_only_its_owner_can_read()
    {
        using var data = new TemporaryDirectory();
        using var log = new CapturedLog();

        await Open(data, log).SaveAsync(new Sample("a", 2), Ct);

        Assert.Equal(new Sample("a", 2), Open(data, log).Load());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(data.File("sample.json")));
        }
    }

    [Fact]
    public void No_file_loads_as_nothing_without_a_word()
    {
        using var data = new TemporaryDirectory();
        using var log = new CapturedLog();
        var file = Open(data, log);

        Assert.Null(file.Load());
        Assert.Null(file.LoadProblem);
        Assert.Empty(log.Lines);
    }

    [Theory]
    [InlineData("{ \"name\": \"a\", \"cou")]
    [InlineData("null")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"name\": 12 }")]
    public async Task A_corrupt_file_is_set_aside_under_the_clock_time_logged_once_and_loads_as_nothing(string corrupt)
    {
        using var data = new TemporaryDirectory();
        using var log = new CapturedLog();
        await File.WriteAllTextAsync(data.File("sample.json"), corrupt, Ct);
        var file = Open(data, log);

        Assert.Null(file.Load());

        var aside = data.File("sample.json.corrupt-20260102T030405Z");
        Assert.Equal(corrupt, await File.ReadAllTextAsync(aside, Ct));
        Assert.False(File.Exists(file.Path));
        var line = Assert.Single(log.Lines);
        Assert.StartsWith("Error ", line, StringComparison.Ordinal);
        Assert.Contains("sample.json could not be read", line, StringComparison.Ordinal);
        Assert.Contains("set aside as sample.json.corrupt-20260102T030405Z and the sample starts empty", line, StringComparison.Ordinal);
        Assert.EndsWith("set aside as sample.json.corrupt-20260102T030405Z and the sample starts empty.", file.LoadProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_next_save_after_a_corrupt_file_leaves_the_set_aside_copy_alone_and_a_second_one_gets_its_own_name()
    {
        using var data = new TemporaryDirectory();
        using var log = new CapturedLog();
        await File.WriteAllTextAsync(data.File("sample.json"), "first {", Ct);
        var file = Open(data, log);
        file.Load();
        await file.SaveAsync(new Sample("fresh", 1), Ct);
        await File.WriteAllTextAsync(data.File("sample.json"), "second {", Ct);

        file.Load();

        Assert.Equal("first {", await File.ReadAllTextAsync(data.File("sample.json.corrupt-20260102T030405Z"), Ct));
        Assert.Equal("second {", await File.ReadAllTextAsync(data.File("sample.json.corrupt-20260102T030405Z-2"), Ct));
    }

    [Fact]
    public async Task The_log_line_names_where_the_file_broke_and_never_quotes_its_content()
    {
        using var data = new TemporaryDirectory();
        using var log = new CapturedLog();
        await File.WriteAllTextAsync(data.File("sample.json"), "{ \"name\": \"a\",\n  \"count\": s3cr3t-token }", Ct);

        Open(data, log).Load();

        Assert.Contains("not valid JSON at line 2", log.All, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", log.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_temporary_file_of_an_interrupted_write_is_removed_and_the_last_complete_content_wins()
    {
        using var data = new TemporaryDirectory();
        using var log = new CapturedLog();
        await Open(data, log).SaveAsync(new Sample("complete", 1), Ct);
        var leftover = data.File(".sample.json.0123456789abcdef.tmp");
        await File.WriteAllTextAsync(leftover, "{ \"name\": \"tor", Ct);

        var loaded = Open(data, log).Load();

        Assert.Equal(new Sample("complete", 1), loaded);
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task A_peek_at_a_corrupt_file_changes_nothing()
    {
        using var data = new TemporaryDirectory();
        await File.WriteAllTextAsync(data.File("sample.json"), "{", Ct);

        Assert.Null(SettingsFile<Sample>.Peek(data.File("sample.json"), JsonSerializerOptions.Web));
        Assert.True(File.Exists(data.File("sample.json")));
    }
}
