using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace EvGateway.Tests.HomeAutomation;

/// <summary>
/// A home-automation client of the broker, as Home Assistant is one: subscribed to everything from the start, it
/// keeps the last message of each topic and whether it came retained, and publishes commands.
/// </summary>
public sealed class MqttProbe : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly IMqttClient client;
    private readonly ConcurrentDictionary<string, MqttApplicationMessage> last = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<MqttApplicationMessage> all = new();

    private MqttProbe(IMqttClient client)
    {
        this.client = client;
        client.ApplicationMessageReceivedAsync += e =>
        {
            last[e.ApplicationMessage.Topic] = e.ApplicationMessage;
            all.Enqueue(e.ApplicationMessage);
            return Task.CompletedTask;
        };
    }

    /// <summary>Connects to the broker on loopback <paramref name="port"/> and subscribes to <paramref name="filter"/>.</summary>
    public static async Task<MqttProbe> ConnectAsync(int port, CancellationToken cancellationToken, string filter = "#", string? username = null,
        string? password = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var probe = new MqttProbe(client);
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId($"probe-{Guid.NewGuid():N}");
        if (username is not null)
        {
            options.WithCredentials(username, password);
        }

        await client.ConnectAsync(options.Build(), cancellationToken);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken);
        return probe;
    }

    /// <summary>The last message of every topic seen.</summary>
    public IReadOnlyDictionary<string, MqttApplicationMessage> Last => last;

    /// <summary>Waits until <paramref name="topic"/> carries a payload that <paramref name="accept"/> takes; returns it.</summary>
    public async Task<string> WaitForAsync(string topic, Func<string, bool> accept, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Patience);
        while (true)
        {
            if (last.TryGetValue(topic, out var message) && message.ConvertPayloadToString() is { } payload && accept(payload))
            {
                return payload;
            }

            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var seen = last.TryGetValue(topic, out var got) ? $"'{got.ConvertPayloadToString()}'" : "nothing";
                throw new TimeoutException($"{topic} did not get the expected payload within {Patience.TotalSeconds} s; it has {seen}.");
            }
        }
    }

    /// <summary>Waits until <paramref name="topic"/> gets an empty message: its retained one was deleted.</summary>
    public async Task WaitForClearedAsync(string topic, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Patience);
        while (!(last.TryGetValue(topic, out var message) && message.Payload.IsEmpty))
        {
            try
            {
                await Task.Delay(20, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{topic} was not cleared within {Patience.TotalSeconds} s.");
            }
        }
    }

    public Task<string> WaitForAsync(string topic, string expected, CancellationToken cancellationToken) =>
        WaitForAsync(topic, payload => payload == expected, cancellationToken);

    /// <summary>Waits for the next message on <paramref name="topic"/> after <paramref name="action"/>, parsed as JSON.</summary>
    public async Task<JsonElement> NextJsonAsync(string topic, Func<Task> action, CancellationToken cancellationToken)
    {
        var before = all.Count(m => m.Topic == topic);
        await action();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Patience);
        while (all.Count(m => m.Topic == topic) == before)
        {
            await Task.Delay(20, deadline.Token);
        }

        return JsonDocument.Parse(all.Where(m => m.Topic == topic).ElementAt(before).ConvertPayloadToString()).RootElement.Clone();
    }

    public Task PublishAsync(string topic, string payload, CancellationToken cancellationToken) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptions());
        }

        client.Dispose();
    }

    /// <summary>A TCP port on loopback that nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
