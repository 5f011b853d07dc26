using System.IO;

namespace Overlay.Layouts;

/// <summary>
/// An open record file's schema bytes, checked (sizes, CRC) when the file opened and decoded the
/// first time a schema is needed: a file opened with its exact layouts never pays for the decoding
/// (as a container's schema sections, docs/formats.md §8.4).
/// </summary>
internal sealed class RecordFileSchemaRegion
{
    private readonly byte[]? _bytes;
    private readonly RecordFilePrefix _prefix;
    private readonly string _path;
    private RecordFileSchemas? _decoded;

    /// <summary>The checked, not yet decoded, schema bytes of an opened file.</summary>
    public RecordFileSchemaRegion(byte[] bytes, RecordFilePrefix prefix, string path)
    {
        _bytes = bytes;
        _prefix = prefix;
        _path = path;
    }

    /// <summary>The schemas a file was just created with.</summary>
    public RecordFileSchemaRegion(RecordFileSchemas schemas, string path)
    {
        _decoded = schemas;
        _path = path;
    }

    /// <summary>The decoded schemas.</summary>
    /// <exception cref="InvalidDataException">They are damaged in a way the CRC did not catch (written so); the message names the file.</exception>
    public RecordFileSchemas Schemas
    {
        get
        {
            if (_decoded is null)
            {
                try
                {
                    _decoded = RecordFileSchemas.Parse(_bytes, _prefix);
                }
                catch (InvalidDataException e)
                {
                    throw new InvalidDataException($"{_path} is not a valid record file: {e.Message}.", e);
                }
            }

            return _decoded;
        }
    }
}
