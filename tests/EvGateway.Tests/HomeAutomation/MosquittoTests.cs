using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.TestSupport;
using MQTTnet;

namespace EvGateway.Tests.HomeAutomation;

/// <summary>The gateway against Debian's mosquitto, the broker most Home Assistant installations run.</summary>
public class MosquittoTests
{
    private const string Zoe = RenaultCloud.DemoZoePhase2Vin;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_mosquitto_discovery_states_and_commands_work_and_the_last_will_flips_availability_when_the_gateway_dies()
    {
        await using var mosquitto = await MosquittoBroker.StartAsync(Ct);
        await using var proxy = new SeverableTcpProxy(mosquitto.Port);
        await using var app = await GatewayApp.StartAsync(new()
        {
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = proxy.Port.ToString(CultureInfo.InvariantCulture),
        });
        await using var homeAssistant = await MqttProbe.ConnectAsync(mosquitto.Port, Ct);
        await homeAssistant.WaitForAsync("evgateway/status", "online", Ct);

        var status = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Zoe}/status", Ct);
        var level = status.GetProperty("batteryLevel").GetDouble().ToString(CultureInfo.InvariantCulture);
        await homeAssistant.WaitForAsync($"evgateway/{Zoe}/battery_level", level, Ct);

        await using (var late = await MqttProbe.ConnectAsync(mosquitto.Port, Ct))
        {
            var config = JsonDocument.Parse(await late.WaitForAsync($"homeassistant/sensor/{Zoe}/battery_level/config", _ => true, Ct)).RootElement;
            Assert.True(late.Last[$"homeassistant/sensor/{Zoe}/battery_level/config"].Retain);
            Assert.Equal($"{Zoe}_battery_level", config.GetProperty("unique_id").GetString());
            Assert.Equal("evgateway/status", config.GetProperty("availability_topic").GetString());
            await late.WaitForAsync(config.GetProperty("state_topic").GetString()!, level, Ct);
            Assert.True(late.Last[config.GetProperty("state_topic").GetString()!].Retain);
        }

        var result = await homeAssistant.NextJsonAsync($"evgateway/{Zoe}/command_result",
            () => homeAssistant.PublishAsync($"evgateway/{Zoe}/set/climate", "ON", Ct), Ct);
        Assert.True(result.GetProperty("accepted").GetBoolean(), result.ToString());
        Assert.True(app.Simulator.Renault.Car(Zoe).Read().ClimateActive);

        // The gateway's connection dies without a goodbye: mosquitto publishes its last will.
        proxy.Sever();

        await homeAssistant.WaitForAsync("evgateway/status", "offline", Ct);
    }

    [Fact]
    public async Task The_shipped_broker_configuration_lets_the_gateway_and_home_assistant_in_with_their_passwords_and_no_one_else()
    {
        var users = new Dictionary<string, string> { ["evgateway"] = "gateway-secret-1", ["homeassistant"] = "ha-secret-2" };
        await using var mosquitto = await MosquittoBroker.StartWithShippedConfigAsync(users, Ct);
        await using var app = await GatewayApp.StartAsync(new()
        {
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = mosquitto.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:Username"] = "evgateway",
            ["Mqtt:Password"] = users["evgateway"],
        });
        await using var homeAssistant = await MqttProbe.ConnectAsync(mosquitto.Port, Ct, username: "homeassistant", password: users["homeassistant"]);
        await homeAssistant.WaitForAsync("evgateway/status", "online", Ct);

        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status", Ct);
        await homeAssistant.WaitForAsync($"homeassistant/sensor/{Zoe}/battery_level/config", _ => true, Ct);

        await Assert.ThrowsAnyAsync<Exception>(async () => await MqttProbe.ConnectAsync(mosquitto.Port, Ct));
        await Assert.ThrowsAnyAsync<Exception>(async () => await MqttProbe.ConnectAsync(mosquitto.Port, Ct, username: "homeassistant", password: "wrong"));
        Assert.DoesNotContain(users["evgateway"], app.Log.All, StringComparison.Ordinal);
    }
}
