using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EvGateway.Tests.HomeAutomation;

/// <summary>
/// Debian's mosquitto on a free loopback port with a throw-away configuration: the broker most owners run. A
/// missing mosquitto fails the test that needs it, with the install line (.ci/run installs it).
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"];

    private readonly Process process;
    private readonly DirectoryInfo folder;
    private readonly StringBuilder output = new();

    private MosquittoBroker(Process process, DirectoryInfo folder, int port)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static async Task<MosquittoBroker> StartAsync(CancellationToken cancellationToken)
    {
        var executable = Candidates.FirstOrDefault(File.Exists)
                         ?? throw new InvalidOperationException("mosquitto is not installed: this test needs Debian's broker (apt-get install -y mosquitto).");
        var folder = Directory.CreateTempSubdirectory("evgw-mosquitto-");
        var port = MqttProbe.FreePort();
        var config = Path.Combine(folder.FullName, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest stdout
            """, cancellationToken);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(executable, ["-c", config])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        process.Start();
        var broker = new MosquittoBroker(process, folder, port);
        process.OutputDataReceived += (_, e) => broker.Record(e.Data);
        process.ErrorDataReceived += (_, e) => broker.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await broker.WaitUntilListeningAsync(cancellationToken);
        return broker;
    }

    private void Record(string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException) when (!process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException)
            {
                string said;
                lock (output)
                {
                    said = output.ToString();
                }

                throw new InvalidOperationException($"mosquitto did not start listening on {Port}: {said}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        folder.Delete(recursive: true);
    }
}
