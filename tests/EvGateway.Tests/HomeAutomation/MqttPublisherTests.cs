using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator.Psa;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.TestSupport;
using MQTTnet;

namespace EvGateway.Tests.HomeAutomation;

public class MqttPublisherTests
{
    private const string Zoe = RenaultCloud.DemoZoePhase2Vin;
    private const string Megane = RenaultCloud.DemoMeganeVin;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_status_read_reaches_the_retained_state_field_and_location_topics()
    {
        await using var rig = await MqttRig.StartAsync();
        var (broker, app, probe) = rig;

        var status = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Zoe}/status", Ct);

        var level = status.GetProperty("batteryLevel").GetDouble().ToString(CultureInfo.InvariantCulture);
        await probe.WaitForAsync($"evgateway/{Zoe}/battery_level", level, Ct);
        await probe.WaitForAsync($"evgateway/{Zoe}/plug_state", status.GetProperty("plugState").GetString()!, Ct);
        await probe.WaitForAsync($"evgateway/{Zoe}/charge_state", status.GetProperty("chargeState").GetString()!, Ct);
        await probe.WaitForAsync($"evgateway/{Zoe}/stale", "false", Ct);
        var state = JsonDocument.Parse(await probe.WaitForAsync($"evgateway/{Zoe}/state", _ => true, Ct)).RootElement;
        Assert.Equal(Zoe, state.GetProperty("vin").GetString());
        Assert.Equal(status.GetProperty("rangeKm").GetDouble(), state.GetProperty("rangeKm").GetDouble());
        var location = JsonDocument.Parse(await probe.WaitForAsync($"evgateway/{Zoe}/location", _ => true, Ct)).RootElement;
        Assert.Equal(status.GetProperty("location").GetProperty("latitude").GetDouble(), location.GetProperty("latitude").GetDouble());
        Assert.True(location.TryGetProperty("gps_accuracy", out _));

        // Retained: a client that subscribes later (Home Assistant after a restart) gets them at once.
        await using var late = await MqttProbe.ConnectAsync(broker.Port, Ct);
        await late.WaitForAsync($"evgateway/{Zoe}/battery_level", level, Ct);
        Assert.True(late.Last[$"evgateway/{Zoe}/battery_level"].Retain);
        Assert.True(late.Last[$"evgateway/{Zoe}/state"].Retain);
    }

    [Fact]
    public async Task Publishing_follows_the_status_reads_and_makes_no_cloud_call_of_its_own()
    {
        await using var rig = await MqttRig.StartAsync();
        var (_, app, probe) = rig;
        await app.Client.GetAsync("/api/vehicles", Ct);
        app.Simulator.Renault.ResetCounters();

        await app.Client.GetAsync($"/api/vehicles/{Megane}/status", Ct);
        await probe.WaitForAsync($"evgateway/{Megane}/state", _ => true, Ct);
        // Time passes with no read: the publisher has nothing new and asks nothing.
        app.Time.Advance(TimeSpan.FromMinutes(30));
        await Task.Delay(300, Ct);

        Assert.Equal(1, app.Simulator.Renault.CallCount("battery-status"));
    }

    [Fact]
    public async Task Discovery_configs_parse_as_home_assistant_expects_and_point_at_retained_topics()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var app = await GatewayApp.StartAsync(broker.Settings());
        await using (var first = await MqttProbe.ConnectAsync(broker.Port, Ct))
        {
            await first.WaitForAsync("evgateway/status", "online", Ct);
            await app.Client.GetAsync($"/api/vehicles/{Zoe}/status", Ct);
            await app.Client.GetAsync($"/api/vehicles/{Megane}/status", Ct);
            // The charge limit is the last topic of a car's status: once it is there, all of them are retained.
            await first.WaitForAsync($"evgateway/{Megane}/charge_limit", _ => true, Ct);
            await first.WaitForAsync($"evgateway/{Zoe}/charge_limit", _ => true, Ct);
        }

        // Everything Home Assistant needs is retained: a client that comes later sees it all.
        await using var late = await MqttProbe.ConnectAsync(broker.Port, Ct);
        await late.WaitForAsync($"evgateway/{Megane}/location", _ => true, Ct);
        await late.WaitForAsync("homeassistant/binary_sensor/evgateway/status/config", _ => true, Ct);
        var retained = late.Last.Where(m => m.Value.Retain).ToDictionary(m => m.Key, m => m.Value.ConvertPayloadToString());
        var configs = retained.Where(m => m.Key.StartsWith("homeassistant/", StringComparison.Ordinal) && m.Key.EndsWith("/config", StringComparison.Ordinal))
            .ToDictionary(m => m.Key, m => JsonDocument.Parse(m.Value).RootElement);

        foreach (var (topic, config) in configs.Where(c => c.Key.Contains(Zoe, StringComparison.Ordinal) || c.Key.Contains(Megane, StringComparison.Ordinal)))
        {
            var levels = topic.Split('/');
            Assert.Equal(5, levels.Length);
            var (vin, objectId) = (levels[2], levels[3]);
            Assert.Equal($"{vin}_{objectId}", config.GetProperty("unique_id").GetString());
            Assert.False(string.IsNullOrEmpty(config.GetProperty("name").GetString()));
            var device = config.GetProperty("device");
            Assert.Equal([vin], device.GetProperty("identifiers").EnumerateArray().Select(i => i.GetString()));
            Assert.Equal("Renault", device.GetProperty("manufacturer").GetString());
            Assert.False(string.IsNullOrEmpty(device.GetProperty("model").GetString()));
            Assert.Equal("evgateway", device.GetProperty("via_device").GetString());
            Assert.Equal("evgateway/status", config.GetProperty("availability_topic").GetString());
            Assert.Equal("online", retained["evgateway/status"]);
            foreach (var key in new[] { "state_topic", "json_attributes_topic" })
            {
                if (config.TryGetProperty(key, out var stateTopic))
                {
                    Assert.True(retained.ContainsKey(stateTopic.GetString()!), $"{topic}: {key} {stateTopic} is not a retained topic");
                }
            }

            if (config.TryGetProperty("command_topic", out var commandTopic))
            {
                Assert.Equal($"evgateway/{vin}/set/{objectId}", commandTopic.GetString());
            }
        }

        var battery = configs[$"homeassistant/sensor/{Zoe}/battery_level/config"];
        Assert.Equal("battery", battery.GetProperty("device_class").GetString());
        Assert.Equal("measurement", battery.GetProperty("state_class").GetString());
        Assert.Equal("%", battery.GetProperty("unit_of_measurement").GetString());
        Assert.Equal("total_increasing", configs[$"homeassistant/sensor/{Zoe}/odometer_km/config"].GetProperty("state_class").GetString());
        Assert.Equal("kW", configs[$"homeassistant/sensor/{Zoe}/charge_power_kw/config"].GetProperty("unit_of_measurement").GetString());
        Assert.Equal("min", configs[$"homeassistant/sensor/{Zoe}/charge_remaining_minutes/config"].GetProperty("unit_of_measurement").GetString());
        Assert.Equal("plug", configs[$"homeassistant/binary_sensor/{Zoe}/plugged/config"].GetProperty("device_class").GetString());
        Assert.Equal($"evgateway/{Zoe}/location",
            configs[$"homeassistant/device_tracker/{Zoe}/location/config"].GetProperty("json_attributes_topic").GetString());

        // Only what each car can do: the Zoe stops a charge but has no horn; the Megane has a horn but takes no stop.
        Assert.Contains($"homeassistant/switch/{Zoe}/charge/config", configs.Keys);
        Assert.Contains($"homeassistant/switch/{Zoe}/climate/config", configs.Keys);
        Assert.DoesNotContain($"homeassistant/button/{Zoe}/horn/config", configs.Keys);
        Assert.Contains($"homeassistant/button/{Megane}/horn/config", configs.Keys);
        Assert.Contains($"homeassistant/button/{Megane}/lights/config", configs.Keys);
        Assert.DoesNotContain($"homeassistant/switch/{Megane}/charge/config", configs.Keys);
        Assert.DoesNotContain(configs.Keys, k => k.EndsWith("/wake_up/config", StringComparison.Ordinal));

        // The Zoe's limit is held by stopping its charge (any percentage); the Megane keeps its own, in its own steps.
        var zoeLimit = configs[$"homeassistant/number/{Zoe}/charge_limit/config"];
        Assert.Equal(1, zoeLimit.GetProperty("min").GetInt32());
        Assert.Equal(1, zoeLimit.GetProperty("step").GetInt32());
        Assert.Equal("100", retained[$"evgateway/{Zoe}/charge_limit"]);
        var meganeLimit = configs[$"homeassistant/number/{Megane}/charge_limit/config"];
        Assert.Equal(55, meganeLimit.GetProperty("min").GetInt32());
        Assert.Equal(5, meganeLimit.GetProperty("step").GetInt32());
        Assert.Equal(100, meganeLimit.GetProperty("max").GetInt32());
    }

    [Fact]
    public async Task A_charge_limit_from_its_number_becomes_the_charge_control_threshold()
    {
        await using var rig = await MqttRig.StartAsync();
        var (_, app, probe) = rig;

        var result = await probe.NextJsonAsync($"evgateway/{Zoe}/command_result",
            () => probe.PublishAsync($"evgateway/{Zoe}/set/charge_limit", "80.0", Ct), Ct);

        Assert.True(result.GetProperty("accepted").GetBoolean(), result.ToString());
        await probe.WaitForAsync($"evgateway/{Zoe}/charge_limit", "80", Ct);
        var control = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Zoe}/charge-control", Ct);
        Assert.Equal(80, control.GetProperty("percentageThreshold").GetInt32());
    }

    [Fact]
    public async Task A_charge_limit_the_car_cannot_hold_is_refused_before_any_cloud_call()
    {
        await using var rig = await MqttRig.StartAsync();
        var (_, app, probe) = rig;

        var offStep = await probe.NextJsonAsync($"evgateway/{Megane}/command_result",
            () => probe.PublishAsync($"evgateway/{Megane}/set/charge_limit", "57", Ct), Ct);
        var outOfRange = await probe.NextJsonAsync($"evgateway/{Megane}/command_result",
            () => probe.PublishAsync($"evgateway/{Megane}/set/charge_limit", "0", Ct), Ct);

        Assert.Equal("validation_failed", offStep.GetProperty("code").GetString());
        Assert.Contains("steps of 5", offStep.GetProperty("detail").GetString());
        Assert.Equal("validation_failed", outOfRange.GetProperty("code").GetString());
        Assert.Equal(0, app.Simulator.Renault.CallCount("soc-levels"));
    }

    [Fact]
    public async Task A_read_only_gateway_refuses_a_charge_limit()
    {
        await using var rig = await MqttRig.StartAsync(new() { ["Gateway:AllowRemoteCommands"] = "false" });
        var (_, app, probe) = rig;

        var result = await probe.NextJsonAsync($"evgateway/{Megane}/command_result",
            () => probe.PublishAsync($"evgateway/{Megane}/set/charge_limit", "80", Ct), Ct);

        Assert.False(result.GetProperty("accepted").GetBoolean());
        Assert.Equal("forbidden", result.GetProperty("code").GetString());
        Assert.Equal(0, app.Simulator.Renault.CallCount("soc-levels"));
    }

    [Fact]
    public async Task A_command_on_a_set_topic_reaches_the_simulated_car_and_its_result_is_published()
    {
        await using var rig = await MqttRig.StartAsync();
        var (_, app, probe) = rig;
        await app.Client.GetAsync("/api/vehicles", Ct);
        Assert.False(app.Simulator.Renault.Car(Zoe).Read().ClimateActive);

        var result = await probe.NextJsonAsync($"evgateway/{Zoe}/command_result",
            () => probe.PublishAsync($"evgateway/{Zoe}/set/climate", "ON", Ct), Ct);

        Assert.True(result.GetProperty("accepted").GetBoolean(), result.ToString());
        Assert.Equal("climate", result.GetProperty("command").GetString());
        Assert.True(app.Simulator.Renault.Car(Zoe).Read().ClimateActive);
    }

    [Fact]
    public async Task A_refused_command_is_reported_with_its_error_code_and_the_car_is_left_alone()
    {
        await using var rig = await MqttRig.StartAsync(new() { ["Gateway:AllowRemoteCommands"] = "false" });
        var (_, app, probe) = rig;

        var result = await probe.NextJsonAsync($"evgateway/{Zoe}/command_result",
            () => probe.PublishAsync($"evgateway/{Zoe}/set/climate", "ON", Ct), Ct);

        Assert.False(result.GetProperty("accepted").GetBoolean());
        Assert.Equal("forbidden", result.GetProperty("code").GetString());
        Assert.False(app.Simulator.Renault.Car(Zoe).Read().ClimateActive);
    }

    [Fact]
    public async Task A_command_the_car_cannot_take_is_reported_as_not_supported()
    {
        await using var rig = await MqttRig.StartAsync();
        var (_, _, probe) = rig;

        var result = await probe.NextJsonAsync($"evgateway/{Zoe}/command_result",
            () => probe.PublishAsync($"evgateway/{Zoe}/set/horn", "PRESS", Ct), Ct);

        Assert.False(result.GetProperty("accepted").GetBoolean());
        Assert.Equal("capability_not_supported", result.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_bad_payload_is_answered_each_time_and_logged_once()
    {
        await using var rig = await MqttRig.StartAsync();
        var (_, app, probe) = rig;

        var first = await probe.NextJsonAsync($"evgateway/{Zoe}/command_result",
            () => probe.PublishAsync($"evgateway/{Zoe}/set/charge", "MAYBE", Ct), Ct);
        var second = await probe.NextJsonAsync($"evgateway/{Zoe}/command_result",
            () => probe.PublishAsync($"evgateway/{Zoe}/set/charge", "PERHAPS", Ct), Ct);

        Assert.Equal("validation_failed", first.GetProperty("code").GetString());
        Assert.Contains("ON or OFF", first.GetProperty("detail").GetString());
        Assert.Equal("validation_failed", second.GetProperty("code").GetString());
        Assert.Single(app.Log.Lines, line => line.Contains($"evgateway/{Zoe}/set/charge", StringComparison.Ordinal));
        Assert.Equal(0, app.Simulator.Renault.CallCount("charging-start"));
    }

    [Fact]
    public async Task A_gateway_that_stops_says_offline_on_its_status_topic()
    {
        await using var broker = await InProcessBroker.StartAsync();
        await using var probe = await MqttProbe.ConnectAsync(broker.Port, Ct);
        var app = await GatewayApp.StartAsync(broker.Settings());
        await probe.WaitForAsync("evgateway/status", "online", Ct);

        await app.DisposeAsync();

        await probe.WaitForAsync("evgateway/status", "offline", Ct);
        await using var late = await MqttProbe.ConnectAsync(broker.Port, Ct);
        await late.WaitForAsync("evgateway/status", "offline", Ct);
        Assert.True(late.Last["evgateway/status"].Retain);
    }

    [Fact]
    public async Task A_broker_that_comes_late_is_connected_to_after_a_pause_and_gets_the_latest_status()
    {
        var port = MqttProbe.FreePort();
        await using var app = await GatewayApp.StartAsync(new() { ["Mqtt:Host"] = "127.0.0.1", ["Mqtt:Port"] = port.ToString(CultureInfo.InvariantCulture) });
        var status = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Megane}/status", Ct);
        await using var broker = await InProcessBroker.StartOnAsync(port);
        await using var probe = await MqttProbe.ConnectAsync(port, Ct);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(15));
        var level = status.GetProperty("batteryLevel").GetDouble().ToString(CultureInfo.InvariantCulture);
        var published = probe.WaitForAsync($"evgateway/{Megane}/battery_level", level, deadline.Token);
        while (!published.IsCompleted)
        {
            // The reconnect pause runs on the gateway's clock.
            app.Time.Advance(TimeSpan.FromSeconds(10));
            await Task.WhenAny(published, Task.Delay(100, Ct));
        }

        await published;
        Assert.Equal("online", probe.Last["evgateway/status"].ConvertPayloadToString());
    }

    [Fact]
    public async Task A_car_that_is_gone_at_the_next_start_has_its_discovery_and_state_topics_cleared()
    {
        const string E208 = PsaCloud.DemoE208Vin;
        await using var broker = await InProcessBroker.StartAsync();
        await using var probe = await MqttProbe.ConnectAsync(broker.Port, Ct);
        await using (var both = await GatewayApp.StartAsync(broker.Settings()))
        {
            await both.Client.GetAsync($"/api/vehicles/{E208}/status", Ct);
            await both.Client.GetAsync($"/api/vehicles/{Megane}/status", Ct);
            await probe.WaitForAsync($"evgateway/{E208}/state", _ => true, Ct);
            await probe.WaitForAsync($"evgateway/{Megane}/state", _ => true, Ct);
            await probe.WaitForAsync("evgateway/published", json => json.Contains(E208, StringComparison.Ordinal), Ct);
        }

        var e208Configs = probe.Last.Keys.Where(t => t.StartsWith("homeassistant/", StringComparison.Ordinal) && t.Contains($"/{E208}/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(e208Configs);

        // The next gateway on this broker serves only Renault cars (the PSA account was removed).
        await using var renaultOnly = await GatewayApp.StartAsync(broker.Settings(), makers: Makers.Renault);
        await renaultOnly.Client.GetAsync("/api/vehicles", Ct);

        foreach (var topic in e208Configs.Append($"evgateway/{E208}/state").Append($"evgateway/{E208}/battery_level"))
        {
            await probe.WaitForClearedAsync(topic, Ct);
        }

        await probe.WaitForAsync("evgateway/published", json => !json.Contains(E208, StringComparison.Ordinal), Ct);
        // A client that subscribes now (Home Assistant after its own restart) sees the Renault car and nothing of the PSA one.
        await using var late = await MqttProbe.ConnectAsync(broker.Port, Ct);
        await late.WaitForAsync("evgateway/published", json => json.Contains(Megane, StringComparison.Ordinal), Ct);
        await late.WaitForAsync($"evgateway/{Megane}/state", _ => true, Ct);
        Assert.DoesNotContain(late.Last.Keys, topic => topic.Contains(E208, StringComparison.Ordinal));
        Assert.Contains(renaultOnly.Log.Lines, line => line.Contains(E208, StringComparison.Ordinal) && line.Contains("cleared", StringComparison.Ordinal));
    }
}
