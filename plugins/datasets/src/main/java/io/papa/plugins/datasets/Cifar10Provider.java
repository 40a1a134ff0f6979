package io.papa.plugins.datasets;

import io.papa.api.Dataset;
import io.papa.api.DatasetProvider;
import io.papa.api.OptionSpec;
import io.papa.api.Options;
import java.util.List;
import org.pf4j.Extension;

/** CIFAR-10 from the official binary release; see {@link CifarReader} for where the files may be. */
@Extension
public final class Cifar10Provider implements DatasetProvider {

    @Override
    public String id() {
        return CifarFormat.CIFAR10.id();
    }

    @Override
    public String description() {
        return "CIFAR-10 binary release: 50,000 train / 10,000 test 32x32 colour images";
    }

    @Override
    public List<OptionSpec> options() {
        return CifarReader.options(CifarFormat.CIFAR10);
    }

    @Override
    public Dataset load(Options options) {
        return CifarReader.load(CifarFormat.CIFAR10, options);
    }
}
