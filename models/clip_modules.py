"""OpenAI-CLIP-style encoder modules in plain PyTorch (no external model code).

Shared by the tiny model (train_tiny_clip.py) and the ViT-B/32-shaped benchmark model
(build_bench_vitb32.py). The layout follows OpenAI's CLIP reference implementation
(ResidualAttentionBlock / Transformer / VisionTransformer, pre-LN blocks, CLS pooling for
images, EOT pooling for text), with two additions that the tiny model uses and the benchmark
model switches off:

* ``pre_pool``: an average-pool applied to the 224x224 input before anything else, so a tiny
  model can take exactly what ViT-B/32 takes but compute at a lower resolution;
* ``stem_channels`` / ``stem_strides`` / ``stem_norm``: a few 3x3 convolutions (optionally
  with BatchNorm) before the patch embedding (a "conv stem", which makes small vision
  transformers train much faster).

Attention is written out by hand (no nn.MultiheadAttention) so that TorchScript tracing and
ONNX export see a plain graph of matmul/softmax ops with a dynamic batch dimension.
The projections to the joint embedding space are NOT part of these modules: the bundle
wrappers in bundle.py apply them (Linear without bias), for HF CLIP and for our own models alike.
"""
import math
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F


class QuickGELU(nn.Module):
    """OpenAI CLIP's activation: x * sigmoid(1.702 x)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(1.702 * x)


def make_act(name: str) -> nn.Module:
    if name == "quick_gelu":
        return QuickGELU()
    if name == "gelu":
        return nn.GELU()
    raise ValueError(f"unknown activation {name!r}")


class Attention(nn.Module):
    """Multi-head self-attention on [N, L, D] (batch first)."""

    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        assert d_model % n_head == 0
        self.n_head = n_head
        self.head_dim = d_model // n_head
        self.scale = 1.0 / math.sqrt(self.head_dim)
        self.in_proj = nn.Linear(d_model, 3 * d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        n, l, d = x.shape[0], x.shape[1], x.shape[2]
        qkv = self.in_proj(x).reshape(n, l, 3, self.n_head, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]                      # [N, H, L, Dh]
        attn = torch.matmul(q * self.scale, k.transpose(-2, -1))  # [N, H, L, L]
        if attn_mask is not None:
            attn = attn + attn_mask
        attn = attn.softmax(dim=-1)
        out = torch.matmul(attn, v).transpose(1, 2).reshape(n, l, d)
        return self.out_proj(out)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int, act: str = "quick_gelu", mlp_ratio: int = 4):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d_model)
        self.attn = Attention(d_model, n_head)
        self.ln_2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential()
        self.mlp.add_module("c_fc", nn.Linear(d_model, d_model * mlp_ratio))
        self.mlp.add_module("act", make_act(act))
        self.mlp.add_module("c_proj", nn.Linear(d_model * mlp_ratio, d_model))

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return x


class Transformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int, act: str = "quick_gelu"):
        super().__init__()
        self.width = width
        self.layers = layers
        self.resblocks = nn.ModuleList([ResidualAttentionBlock(width, heads, act) for _ in range(layers)])

    def forward(self, x: torch.Tensor, attn_mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        for blk in self.resblocks:
            x = blk(x, attn_mask)
        return x


class VisionTransformer(nn.Module):
    """[N,3,R,R] -> pooled CLS features [N, width] (after ln_post, before projection).

    ``patch_size`` is in units of the (pooled, stem-downsampled) feature map the patch
    embedding sees; ``effective_patch_size`` is the same in input pixels.
    """

    def __init__(self, input_resolution: int, patch_size: int, width: int, layers: int, heads: int,
                 act: str = "quick_gelu", pre_pool: int = 1, stem_channels: Sequence[int] = (),
                 stem_strides: Optional[Sequence[int]] = None, stem_norm: bool = False):
        super().__init__()
        self.input_resolution = input_resolution
        self.pre_pool = pre_pool
        self.pool = nn.AvgPool2d(pre_pool) if pre_pool > 1 else nn.Identity()
        res = input_resolution // pre_pool
        stem = []
        c_in = 3
        strides = list(stem_strides) if stem_strides is not None else [2] * len(stem_channels)
        for c, st in zip(stem_channels, strides):
            stem.append(nn.Conv2d(c_in, c, kernel_size=3, stride=st, padding=1, bias=not stem_norm))
            if stem_norm:
                stem.append(nn.BatchNorm2d(c))
            stem.append(make_act(act))
            c_in = c
            res = (res - 1) // st + 1
        self.stem = nn.Sequential(*stem) if stem else nn.Identity()
        assert res % patch_size == 0, (res, patch_size)
        self.grid = res // patch_size
        self.effective_patch_size = input_resolution // self.grid
        # bias only when there is a conv stem (OpenAI's patch embedding has none)
        self.conv1 = nn.Conv2d(c_in, width, kernel_size=patch_size, stride=patch_size, bias=bool(stem))
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn(self.grid * self.grid + 1, width))
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads, act)
        self.ln_post = nn.LayerNorm(width)
        self.width = width

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """From the pooled input (after ``self.pool``) to the pooled CLS feature."""
        x = self.stem(x)
        x = self.conv1(x)                                  # [N, W, g, g]
        x = x.flatten(2).transpose(1, 2)                   # [N, g*g, W]
        cls = self.class_embedding.to(x.dtype).reshape(1, 1, -1).expand(x.shape[0], 1, x.shape[2])
        x = torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype)
        x = self.ln_pre(x)
        x = self.transformer(x)
        return self.ln_post(x[:, 0, :])

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.forward_features(self.pool(pixel_values))


class TextTransformer(nn.Module):
    """input_ids [N, L] (L <= context_length) -> final hidden states [N, L, width] (after ln_final).

    Causal attention, so the hidden state at a position only depends on the tokens up to it:
    pooling at the end-of-text token is unaffected by whatever padding follows it.
    """

    def __init__(self, vocab_size: int, context_length: int, width: int, layers: int, heads: int,
                 act: str = "quick_gelu"):
        super().__init__()
        self.context_length = context_length
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.positional_embedding = nn.Parameter(torch.empty(context_length, width))
        self.transformer = Transformer(width, layers, heads, act)
        self.ln_final = nn.LayerNorm(width)
        mask = torch.full((context_length, context_length), float("-inf")).triu_(1)
        self.register_buffer("attn_mask", mask, persistent=False)
        self.width = width
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        nn.init.normal_(self.positional_embedding, std=0.01)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        l = input_ids.shape[1]
        x = self.token_embedding(input_ids) + self.positional_embedding[:l]
        x = self.transformer(x, self.attn_mask[:l, :l])
        return self.ln_final(x)


def init_clip_weights(vision: Optional[VisionTransformer], text: Optional[TextTransformer]) -> None:
    """OpenAI CLIP's initialisation of the transformer weights (std scaled by width/depth)."""
    for tr in ([vision.transformer] if vision is not None else []) + ([text.transformer] if text is not None else []):
        proj_std = (tr.width ** -0.5) * ((2 * tr.layers) ** -0.5)
        attn_std = tr.width ** -0.5
        fc_std = (2 * tr.width) ** -0.5
        for blk in tr.resblocks:
            nn.init.normal_(blk.attn.in_proj.weight, std=attn_std)
            nn.init.zeros_(blk.attn.in_proj.bias)
            nn.init.normal_(blk.attn.out_proj.weight, std=proj_std)
            nn.init.zeros_(blk.attn.out_proj.bias)
            nn.init.normal_(blk.mlp.c_fc.weight, std=fc_std)
            nn.init.normal_(blk.mlp.c_proj.weight, std=proj_std)


def count_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
