#!/usr/bin/env python3
"""The PAPA reference's population step and merges in PyTorch, timed, for `papa bench`.

Written from the reference's behaviour as our notes (papa-reference.md) describe it (networks: section 2;
training step: section 6; PAPA-all soup: section 1.1; PAPA pull: section 1.2); none of the
reference's code is used. One step: every member takes its own batch, forwards it and computes its
soft-target cross-entropy; the losses are summed, one backward runs, every member's SGD steps (CPU,
so no mixed precision). Batches are random CIFAR-normalised tensors made inside the timed loop,
as `papa bench` reads its synthetic images inside its step.

Prints one JSON line: images/s of the population step (summed over members) as median/min/max
over the repeats, merge times in ms, and peak resident memory (getrusage ru_maxrss).

    /usr/bin/python3 bench/reference_step.py --arch resnet20 --n-pop 3 --threads 2
"""
import argparse
import copy
import json
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CIFAR10_MEAN = (125.307 / 255, 122.961 / 255, 113.8575 / 255)
CIFAR10_STD = (51.5865 / 255, 50.847 / 255, 51.255 / 255)


class OptionABlock(nn.Module):
    """ResNet-20 basic block; a shortcut that changes shape subsamples and zero-pads channels (option A)."""

    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.pad = planes // 4 if stride != 1 or in_planes != planes else 0

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad)) if self.pad else x
        return F.relu(out + shortcut)


class ResNet20(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        blocks, in_planes = [], 16
        for planes, stride in ((16, 1), (32, 2), (64, 2)):
            for b in range(3):
                blocks.append(OptionABlock(in_planes, planes, stride if b == 0 else 1))
                in_planes = planes
        self.blocks = nn.Sequential(*blocks)
        self.linear = nn.Linear(64, classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)

    def forward(self, x):
        out = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.linear(F.adaptive_avg_pool2d(out, 1).flatten(1))


class ProjectionBlock(nn.Module):
    """CIFAR ResNet-18 basic block; a shortcut that changes shape is a 1x1 conv and BatchNorm."""

    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + self.shortcut(x))


class ResNet18(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        blocks, in_planes = [], 64
        for planes, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
            for b in range(2):
                blocks.append(ProjectionBlock(in_planes, planes, stride if b == 0 else 1))
                in_planes = planes
        self.blocks = nn.Sequential(*blocks)
        self.linear = nn.Linear(512, classes)

    def forward(self, x):
        out = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.linear(F.avg_pool2d(out, 4).flatten(1))


VGG16 = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M")


class Vgg(nn.Module):
    """VGG with BatchNorm: every number a 3x3 conv (with bias), BatchNorm and ReLU; M a 2x2 max-pool."""

    def __init__(self, config, classes):
        super().__init__()
        layers, channels = [], 3
        for item in config:
            if item == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers += [nn.Conv2d(channels, item, 3, padding=1), nn.BatchNorm2d(item), nn.ReLU(inplace=True)]
                channels = item
        layers.append(nn.AvgPool2d(1, 1))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(512, classes)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


NETWORKS = {
    "resnet20": ResNet20,
    "resnet18": ResNet18,
    "vgg16": lambda classes: Vgg(VGG16, classes),
}


def batch(size, classes):
    mean = torch.tensor(CIFAR10_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(CIFAR10_STD).view(1, 3, 1, 1)
    images = (torch.rand(size, 3, 32, 32) - mean) / std
    targets = F.one_hot(torch.randint(classes, (size,)), classes).float()
    return images, targets


def population_step(nets, optimizers, batch_size, classes):
    for optimizer in optimizers:
        optimizer.zero_grad()
    total = 0
    for net in nets:
        images, targets = batch(batch_size, classes)
        loss = torch.sum(-targets * F.log_softmax(net(images), dim=1), dim=1).mean()
        total = total + loss
    total.backward()
    for optimizer in optimizers:
        optimizer.step()


def avg_soup(nets):
    """PAPA-all: the uniform soup built one member at a time (weights i/(i+1), 1/(i+1)), loaded into every member."""
    soup = copy.deepcopy(nets[0])
    state = soup.state_dict()
    for i, net in enumerate(nets[1:], start=1):
        other = net.state_dict()
        state = {k: state[k] * (i / (i + 1)) + other[k] * (1 / (i + 1)) for k in state}
    soup.load_state_dict(state)
    for net in nets:
        net.load_state_dict(soup.state_dict())


def ema_pull(nets, net_avg, alpha):
    """PAPA: net_avg becomes the members' uniform average, then member k <- alpha * member k + (1 - alpha) * net_avg."""
    states = [net.state_dict() for net in nets]
    net_avg.load_state_dict({k: sum(s[k] for s in states) / len(states) for k in states[0]})
    average = net_avg.state_dict()
    for net, state in zip(nets, states):
        net.load_state_dict({k: alpha * state[k] + (1 - alpha) * average[k] for k in state})


def summary(samples):
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "samples": samples}


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", choices=sorted(NETWORKS), default="resnet20")
    parser.add_argument("--n-pop", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=1, help="untimed repeats before the timed ones")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats")
    parser.add_argument("--steps", type=int, default=5, help="population steps per repeat")
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--ema-alpha", type=float, default=0.99)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    nets = [NETWORKS[args.arch](args.classes).train() for _ in range(args.n_pop)]
    optimizers = [torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4) for net in nets]

    rates = []
    for repeat in range(args.warmup + args.repeats):
        started = time.perf_counter()
        for _ in range(args.steps):
            population_step(nets, optimizers, args.batch_size, args.classes)
        seconds = time.perf_counter() - started
        if repeat >= args.warmup:
            rates.append(args.steps * args.batch_size * args.n_pop / seconds)
    peak_train = peak_rss_mib()

    merges = {}
    if args.n_pop > 1:
        net_avg = copy.deepcopy(nets[0])
        with torch.no_grad():
            for name, merge in (("avg", lambda: avg_soup(nets)), ("gradual", lambda: ema_pull(nets, net_avg, args.ema_alpha))):
                times = []
                for repeat in range(args.warmup + args.repeats):
                    started = time.perf_counter()
                    merge()
                    if repeat >= args.warmup:
                        times.append((time.perf_counter() - started) * 1000)
                merges[name] = summary(times)

    print(json.dumps({
        "arch": args.arch,
        "n_pop": args.n_pop,
        "batch_size": args.batch_size,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "parameters": sum(p.numel() for p in nets[0].parameters()),
        "steps_per_repeat": args.steps,
        "images_per_s": summary(rates),
        "merge_ms": merges,
        "peak_rss_train_mib": peak_train,
        "peak_rss_mib": peak_rss_mib(),
    }))


if __name__ == "__main__":
    main()
