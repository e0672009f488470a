"""PyTorch reference of recur's `cnn` image encoder (encoders/cnn/cnn_encoder.h) and of
the captioning model (task `captioning`: the cnn encoder + recur_reference's
AttentionDecoder), with recur's parameter names.

CnnEncoder's own names equal recur's: stages.{i}.{j}.conv.weight,
stages.{i}.{j}.norm.{weight,bias,running_mean,running_var}, projection.{weight,bias}.
torch's BatchNorm2d also keeps `num_batches_tracked`, which recur does not have: it is
dropped when converting to recur and recreated (zero) when loading.
"""

import os
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import recur_reference as ref
import recur_search
import safetensors_io


@dataclass
class CnnStage:
    channels: int = 64
    blocks: int = 1
    kernel: int = 3
    stride: int = 1
    pool: int = 2  # pooling window and stride after the stage; 1 = none


@dataclass
class CnnSettings:
    in_channels: int = 3
    stages: list = field(default_factory=list)
    pool: str = "max"  # max | avg
    residual: bool = False
    output_size: int = 0
    dropout: float = 0.0


class CnnBlock(nn.Module):
    """conv (no bias, padding kernel // 2) -> batch norm; the ReLU is the encoder's."""

    def __init__(self, in_channels, channels, kernel, stride):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, channels, kernel, stride, kernel // 2, bias=False)
        self.norm = nn.BatchNorm2d(channels, eps=1e-5, momentum=0.1)

    def forward(self, x):
        return self.norm(self.conv(x))


class CnnEncoder(nn.Module):
    def __init__(self, s: CnnSettings):
        super().__init__()
        if not s.stages:
            raise ValueError("cnn: at least one stage is needed")
        if s.pool not in ("max", "avg"):
            raise ValueError(f"cnn: unknown pool '{s.pool}' (max, avg)")
        self.settings = s
        self.stages = nn.ModuleList()
        channels = s.in_channels
        for st in s.stages:
            if st.kernel % 2 == 0:
                raise ValueError(f"cnn: kernel {st.kernel} must be odd")
            blocks = nn.ModuleList()
            for j in range(st.blocks):
                blocks.append(CnnBlock(channels, st.channels, st.kernel, st.stride if j == 0 else 1))
                channels = st.channels
            self.stages.append(blocks)
        self.projection = nn.Linear(channels, s.output_size) if s.output_size > 0 else None
        self.dropout = nn.Dropout(s.dropout)

    @property
    def memory_size(self):
        return self.settings.output_size or self.settings.stages[-1].channels

    def grid(self, height, width):
        """[GH, GW] of the final feature grid of an H x W image."""
        g = [height, width]
        for st in self.settings.stages:
            g = [((d + 2 * (st.kernel // 2) - st.kernel) // st.stride + 1) // st.pool for d in g]
        return g

    def forward(self, images):
        """images [B, C, H, W] -> Memory {states [B, GH*GW, F] (row-major grid), mask
        ones [B, S], summary [B, F] (mean over positions)}."""
        s, x = self.settings, images
        pool = F.max_pool2d if s.pool == "max" else F.avg_pool2d
        for st, blocks in zip(s.stages, self.stages):
            for j, block in enumerate(blocks):
                y = block(x)
                x = torch.relu(x + y if s.residual and j > 0 else y)
            if st.pool > 1:
                x = pool(x, st.pool)  # stride = kernel, no padding, rounded down
        b, c = x.shape[:2]
        states = x.permute(0, 2, 3, 1).reshape(b, -1, c)
        if self.projection is not None:
            states = torch.tanh(self.projection(states))
        states = self.dropout(states)
        mask = torch.ones(states.shape[:2], dtype=states.dtype)
        return ref.Memory(states, mask, states.mean(1))


class CaptionModel(nn.Module):
    """A cnn encoder and an attention decoder under one root ("encoder.*", "decoder.*")."""

    def __init__(self, enc: CnnSettings, dec: ref.DecoderSettings):
        super().__init__()
        self.encoder = CnnEncoder(enc)
        self.decoder = ref.AttentionDecoder(dec)

    def caption(self, images, options: recur_search.Options):
        """images [B, C, H, W] -> n-best Hypothesis lists per image."""
        with torch.no_grad():
            memory = self.encoder(images)
            lengths = [memory.states.shape[1]] * images.shape[0]
            return recur_search.decode(self.decoder, memory, lengths, options)


def decoder_settings(enc: CnnEncoder, vocab_size, cell="gru", **kwargs):
    m = enc.memory_size
    return ref.DecoderSettings(vocab_size, m, m, cell, **kwargs)


def recur_init_(model, generator=None):
    """recur's initialisation for training from scratch: convolutions He normal (fan_out,
    as CnnEncoder's seed does), batch norms torch's, the projection and the decoder's
    non-recurrent parameters uniform +-1/sqrt(fan_in), the decoder's RNN torch's default
    (the AttentionDecoder leaves attention and projection uninitialised)."""
    with torch.no_grad():
        params = dict(model.named_parameters())
        for name, p in params.items():
            if name.endswith("conv.weight"):
                std = np.sqrt(2.0 / (p.shape[0] * p.shape[2] * p.shape[3]))
                p.copy_(torch.randn(p.shape, generator=generator, dtype=p.dtype) * std)
            elif name.startswith("encoder.projection.") or (
                    name.startswith("decoder.") and ".rnn." not in name):
                bound = 1.0 / np.sqrt(ref._fan_in(name, p, params, model))
                p.copy_((torch.rand(p.shape, generator=generator, dtype=p.dtype) * 2 - 1) * bound)


# ---- recur's names ------------------------------------------------------------------

def _torch_only(name):
    return name.endswith(".num_batches_tracked")


def recur_state_dict(model):
    """A CaptionModel -> {recur name: float32 numpy array} (buffers included)."""
    return ref.recur_state_dict({k: v for k, v in model.state_dict().items() if not _torch_only(k)})


def load_recur_state_dict(model, tensors):
    """Loads {recur name: array} into a CaptionModel (exact names and shapes)."""
    sd = ref.torch_state_dict_from_recur(tensors, model.decoder.settings.cell)
    own = model.state_dict()
    for k in own:
        if _torch_only(k):
            sd[k] = torch.zeros((), dtype=torch.int64)
    missing, extra = sorted(set(own) - set(sd)), sorted(set(sd) - set(own))
    if missing or extra:
        raise ValueError(f"recur weights: missing {missing}, unexpected {extra}")
    for k, v in sd.items():
        if tuple(v.shape) != tuple(own[k].shape):
            raise ValueError(f"recur weights: {k} has shape {list(v.shape)}, expected {list(own[k].shape)}")
    model.load_state_dict({k: v.to(own[k].dtype) for k, v in sd.items()})


def recur_grads(model):
    """Gradients of a CaptionModel's parameters under recur's names (float64 numpy)."""
    import torch_rnn

    grads = {k: p.grad.detach().double().numpy() for k, p in model.named_parameters()}
    out = {k: v for k, v in grads.items() if not k.startswith("decoder.rnn.")}
    rnn = {k[len("decoder.rnn."):]: v for k, v in grads.items() if k.startswith("decoder.rnn.")}
    cell, layers = model.decoder.settings.cell, model.decoder.settings.layers
    for name, v in torch_rnn.torch_grads_to_recur(rnn, cell, layers, False).items():
        kind, layer = name.split("_l", 1)
        out[f"decoder.rnn.l{layer}.{kind}"] = v
    return out


# ---- pipeline.yaml ------------------------------------------------------------------

def encoder_section(s: CnnSettings):
    stages = ", ".join("{" + f"channels: {st.channels}, blocks: {st.blocks}, kernel: {st.kernel}, "
                       f"stride: {st.stride}, pool: {st.pool}" + "}" for st in s.stages)
    return (f"{{plugin: cnn, in_channels: {s.in_channels}, stages: [{stages}], pool: {s.pool}, "
            f"residual: {'true' if s.residual else 'false'}, output_size: {s.output_size}, "
            f"dropout: {s.dropout}}}")


def cnn_settings(section):
    """The `encoder:` section of a pipeline (a dict) -> CnnSettings."""
    stages = [CnnStage(**{k: int(v) for k, v in st.items()}) for st in section.get("stages") or []]
    return CnnSettings(int(section.get("in_channels", 3)), stages, section.get("pool", "max"),
                       bool(section.get("residual", False)), int(section.get("output_size", 0)),
                       float(section.get("dropout", 0.0)))


def caption_search_options(section):
    """The captioning task's search defaults (tasks/caption/caption_task.cc) + `search:`."""
    import recur_pipeline

    base = recur_search.Options(max_length_a=0.0, max_length_b=20, length_penalty=0.0)
    return recur_pipeline.search_options(section or {}, base)


def load_caption_pipeline(root, base_dir, target):
    """A parsed captioning pipeline.yaml (root), its folder and its target Tokenizer ->
    (CaptionModel in eval mode, float64, recur_search.Options)."""
    d = root["decoder"]
    enc = cnn_settings(root["encoder"])
    tensors, _ = safetensors_io.read(os.path.join(base_dir, root.get("weights", "model.safetensors")))
    dec = ref.DecoderSettings(
        target.vocab_size, 0, 0, d["plugin"], int(d.get("embedding_size", 256)),
        int(d.get("hidden_size", 256)),
        int(d.get("layers", 1)), d.get("attention", "general"), int(d.get("attention_size", 0)),
        float(d.get("dropout", 0.2)), bool(d.get("tie_embeddings", False)))
    dec.memory_size = dec.summary_size = CnnEncoder(enc).memory_size
    model = CaptionModel(enc, dec).double()
    load_recur_state_dict(model, tensors)
    return model.eval(), caption_search_options(root.get("search"))


def f32_exact(model):
    """Rounds every parameter and buffer to float32 through recur's layout, so a float64
    model computes exactly the function of the weights recur stores."""
    load_recur_state_dict(model, recur_state_dict(model))
    return model


def to_numpy(t):
    return np.ascontiguousarray(t.detach().numpy(), dtype=np.float32)
