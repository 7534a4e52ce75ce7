using System.Text.Json;
using EvGateway.Charging.Control;
using EvGateway.Vehicles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Charging.Control;

public sealed class ChargeControlStoreTests : IDisposable
{
    private const string Vin = "VR3UHZKXZLT000001";
    private readonly TemporaryDirectory data = new();
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));

    public void Dispose() => data.Dispose();

    private ChargeControlStore NewStore() =>
        new(Options.Create(new GatewayOptions { DataDirectory = data.Path }), time, NullLogger<ChargeControlStore>.Instance);

    [Fact]
    public async Task A_setting_survives_a_restart()
    {
        await NewStore().UpdateAsync(Vin, _ => new ChargeControlSetting(80, new TimeOnly(22, 30)), TestContext.Current.CancellationToken);

        var reloaded = NewStore().Get(Vin);

        Assert.Equal(new ChargeControlSetting(80, new TimeOnly(22, 30)), reloaded);
    }

    [Fact]
    public async Task The_file_has_the_psa_car_controller_shape_with_all_cars_in_one_file()
    {
        var store = NewStore();
        await store.UpdateAsync(Vin, _ => new ChargeControlSetting(80, new TimeOnly(22, 30)), TestContext.Current.CancellationToken);
        await store.UpdateAsync("VF1AG000X64000002", _ => new ChargeControlSetting(90, null), TestContext.Current.CancellationToken);

        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(store.FilePath, TestContext.Current.CancellationToken));

        Assert.Equal(80, file.RootElement.GetProperty(Vin).GetProperty("percentage_threshold").GetInt32());
        Assert.Equal([22, 30], file.RootElement.GetProperty(Vin).GetProperty("stop_hour").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(90, file.RootElement.GetProperty("VF1AG000X64000002").GetProperty("percentage_threshold").GetInt32());
        Assert.Equal(ChargeControlStore.FileName, Path.GetFileName(store.FilePath));
    }

    [Fact]
    public async Task A_file_written_by_psa_car_controller_is_read_and_its_extra_fields_are_kept()
    {
        var path = data.File(ChargeControlStore.FileName);
        await File.WriteAllTextAsync(path, "{\"" + Vin + "\":{\"percentage_threshold\":85,\"stop_hour\":[6,15],\"abrp\":{\"token\":\"x\"}}}",
            TestContext.Current.CancellationToken);
        var store = NewStore();

        Assert.Equal(new ChargeControlSetting(85, new TimeOnly(6, 15)), store.Get(Vin));
        await store.UpdateAsync(Vin, s => s with { PercentageThreshold = 70 }, TestContext.Current.CancellationToken);

        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        Assert.Equal(70, file.RootElement.GetProperty(Vin).GetProperty("percentage_threshold").GetInt32());
        Assert.Equal("x", file.RootElement.GetProperty(Vin).GetProperty("abrp").GetProperty("token").GetString());
    }

    [Fact]
    public async Task A_write_interrupted_before_its_rename_leaves_the_previous_settings_intact()
    {
        await NewStore().UpdateAsync(Vin, _ => new ChargeControlSetting(80, null), TestContext.Current.CancellationToken);
        // What a gateway killed between writing the temporary file and renaming it leaves behind: a torn temporary file.
        var torn = data.File($".{ChargeControlStore.FileName}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(torn, $$"""{"{{Vin}}":{"percentage_thr""", TestContext.Current.CancellationToken);

        var store = NewStore();

        Assert.Equal(80, store.Get(Vin).PercentageThreshold);
        Assert.Null(store.LoadProblem);
        Assert.False(File.Exists(torn));
    }

    [Fact]
    public async Task The_file_is_never_empty_or_torn_while_writes_are_in_flight()
    {
        var store = NewStore();
        await store.UpdateAsync(Vin, _ => new ChargeControlSetting(50, null), TestContext.Current.CancellationToken);
        using var stop = new CancellationTokenSource();

        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await store.UpdateAsync($"VIN{writer}", _ => new ChargeControlSetting(1 + i, new TimeOnly(i % 24, 0)), TestContext.Current.CancellationToken);
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        var reads = 0;
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var text = await File.ReadAllTextAsync(store.FilePath, TestContext.Current.CancellationToken);
                using var parsed = JsonDocument.Parse(text);
                Assert.Equal(50, parsed.RootElement.GetProperty(Vin).GetProperty("percentage_threshold").GetInt32());
                reads++;
            }
        }, TestContext.Current.CancellationToken);

        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await reader;

        Assert.True(reads > 0);
        Assert.Equal(50, NewStore().Get("VIN3").PercentageThreshold);
    }

    [Fact]
    public async Task A_corrupt_file_is_reported_and_kept_aside_instead_of_being_overwritten()
    {
        var path = data.File(ChargeControlStore.FileName);
        const string corrupt = """{"VR3":{"percentage_threshold":8""";
        await File.WriteAllTextAsync(path, corrupt, TestContext.Current.CancellationToken);

        var store = NewStore();
        await store.UpdateAsync(Vin, _ => new ChargeControlSetting(80, null), TestContext.Current.CancellationToken);

        Assert.NotNull(store.LoadProblem);
        var kept = Directory.GetFiles(data.Path, $"{ChargeControlStore.FileName}.corrupt-*");
        Assert.Single(kept);
        Assert.Equal(corrupt, await File.ReadAllTextAsync(kept[0], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Updates_from_many_threads_are_never_lost()
    {
        var store = NewStore();

        await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            store.UpdateAsync($"VIN{i:D2}", _ => new ChargeControlSetting(i, null), TestContext.Current.CancellationToken)));

        var reloaded = NewStore();
        Assert.All(Enumerable.Range(1, 20), i => Assert.Equal(i, reloaded.Get($"VIN{i:D2}").PercentageThreshold));
    }
}
