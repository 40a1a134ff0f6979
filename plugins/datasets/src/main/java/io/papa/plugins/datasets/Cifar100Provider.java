package io.papa.plugins.datasets;

import io.papa.api.Dataset;
import io.papa.api.DatasetProvider;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.util.List;
import org.pf4j.Extension;

/** CIFAR-100 from the official binary release; see {@link CifarReader} for where the files may be. */
@Extension
public final class Cifar100Provider implements DatasetProvider {

    @Override
    public String id() {
        return CifarFormat.CIFAR100.id();
    }

    @Override
    public String description() {
        return "CIFAR-100 (fine labels) binary release: 50,000 train / 10,000 test 32x32 colour images";
    }

    @Override
    public List<OptionSpec> options() {
        return CifarReader.options(CifarFormat.CIFAR100);
    }

    @Override
    public Dataset load(Options options) {
        return CifarReader.load(CifarFormat.CIFAR100, options);
    }
}
